// Package lists runs mailing lists: subscriptions, the posting pipeline
// (receive, check, moderate, archive, deliver), and bounces.
package lists

import (
	"hum/internal/db"
)

// Service is the mailing-list store and pipeline.
type Service struct {
	DB *db.DB
}
