// Package archive stores every list message, threads it, indexes it for
// search, and imports and exports mbox files. The public archive pages in
// package web read from it.
package archive

import (
	"hum/internal/db"
)

// Service is the archive store.
type Service struct {
	DB *db.DB
}
