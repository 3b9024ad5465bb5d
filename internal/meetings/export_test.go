package meetings

import (
	"context"

	"hum/internal/db"
)

// InsertSession adds a session row directly, for tests of placing
// sessions before requests are made through the front door.
func (s *Service) InsertSession(ctx context.Context, sess Session) (id int64, err error) {
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		id, err = insertSession(ctx, tx, sess)
		return err
	})
	return id, err
}
