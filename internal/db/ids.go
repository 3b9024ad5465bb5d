package db

import "strconv"

// InIDs is the condition that col is one of the ids passed, as one
// parameter, by IDs, at param ("$1"): one text for any number of ids, so
// it is planned once and may stay prepared.
func (d Dialect) InIDs(col, param string) string {
	if d == Postgres {
		return col + " = ANY(" + param + ")"
	}
	return col + " IN (SELECT value FROM json_each(" + param + "))"
}

// IDs is ids as the one parameter InIDs takes: an array on PostgreSQL, a
// JSON array on SQLite.
func (d Dialect) IDs(ids []int64) any {
	if d == Postgres {
		return ids
	}
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// SelectIDs is a query of one column, id, with a row for each of the ids
// in param (as IDs gives them), to select from or insert.
func (d Dialect) SelectIDs(param string) string {
	if d == Postgres {
		return "SELECT unnest(" + param + "::bigint[]) AS id"
	}
	return "SELECT value AS id FROM json_each(" + param + ")"
}
