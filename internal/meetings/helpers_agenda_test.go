package meetings_test

import (
	"os"
	"path/filepath"

	"hum/internal/corpustest"
	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/record"
)

// import83 loads IETF 83 from the corpus as the operator.
func (e *env) import83() meetings.ImportSummary {
	e.t.Helper()
	root := corpustest.Root(e.t)
	in := meetings.DatatrackerImport{Number: "83"}
	for _, f := range []string{"meetings/ietf83/meeting83.json", "meetings/ietf83/constraint83.json", "groups/workinggroups-2013.json"} {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			e.t.Fatal(err)
		}
		in.Fixtures = append(in.Fixtures, b)
	}
	sum, err := e.m.ImportDatatracker(e.ctx, groups.Operator(record.Actor{Name: "(test import)"}), in)
	if err != nil {
		e.t.Fatal(err)
	}
	return sum
}
