package lists

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/people"
	"hum/internal/record"
	"hum/internal/secrets"
)

// Enrol subscribes many addresses to many lists in one transaction, with
// no confirmation and no welcome mail: for bulk loads by the secretariat
// (the demo; a roster taken over from another list manager). An address
// already on a list keeps its subscription as it is. It returns how many
// subscriptions it added; each list gets one event in the record.
func (s *Service) Enrol(ctx context.Context, by record.Actor, byList map[string][]string, mode string) (added int, err error) {
	defer fail.Wrap(&err, "lists.Enrol(%d lists)", len(byList))
	if mode, err = checkMode(mode); err != nil {
		return 0, err
	}
	names := make([]string, 0, len(byList))
	for n := range byList {
		names = append(names, n)
	}
	sort.Strings(names)
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		for _, name := range names {
			l, err := get(ctx, tx, name)
			if err != nil {
				return err
			}
			n, err := enrol(ctx, tx, l, byList[name], mode)
			if err != nil {
				return err
			}
			if n > 0 {
				added += n
				if err := record.Add(ctx, tx, by, "list", l.Name, "subscribed", fmt.Sprintf("%d subscribers added", n), ""); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return added, err
}

// enrolRows per INSERT keeps the statement under both engines' limits on
// parameters.
const enrolRows = 200

func enrol(ctx context.Context, tx *db.Tx, l List, addrs []string, mode string) (int, error) {
	seen := map[string]bool{}
	var clean []string
	for _, a := range addrs {
		a, err := people.NormalizeEmail(a)
		if err != nil {
			return 0, err
		}
		if !seen[a] {
			seen[a] = true
			clean = append(clean, a)
		}
	}
	added := 0
	for len(clean) > 0 {
		chunk := clean[:min(len(clean), enrolRows)]
		clean = clean[len(chunk):]
		args := []any{l.ID, mode, tx.Now}
		var rows []string
		for _, a := range chunk {
			token, _ := secrets.NewForAddress()
			args = append(args, a, token)
			na, nt := len(args)-1, len(args)
			rows = append(rows, fmt.Sprintf("($1, $%d, (SELECT person_id FROM person_address WHERE address = $%d), $2, 'active', $%d, $3)", na, na, nt))
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO subscription (list_id, address, person_id, mode, state, token, created) VALUES `+
			strings.Join(rows, ", ")+` ON CONFLICT (list_id, address) DO NOTHING`, args...)
		if err != nil {
			return added, err
		}
		n, _ := res.RowsAffected()
		added += int(n)
	}
	return added, nil
}
