package meetings

import (
	"context"
	"time"

	"hum/internal/db"
	"hum/internal/record"
)

// InsertInterim adds an interim meeting row directly, for tests of its
// materials before interims are requested through the front door.
func (s *Service) InsertInterim(ctx context.Context, number string, groupID int64, zone, date string) (id int64, err error) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return 0, err
	}
	day, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		return 0, err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		if id, err = insertMeeting(ctx, tx, NewMeeting{Number: number, TimeZone: zone, Days: 1}, day, Interim, groupID); err != nil {
			return err
		}
		_, err = addSchedule(ctx, tx, id, record.System, "official", true)
		return err
	})
	return id, err
}
