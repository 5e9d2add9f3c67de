package bots

import "github.com/engage-org/engage/core"

// jobFigures records a community's figures for /impact and schedules next week's.
func jobFigures(b *Bot, tx *core.Tx, j *core.Job) error {
	if _, err := tx.Community(j.Community); err != nil {
		return ignoreGone(err)
	}
	if _, err := tx.RecordFigures(j.Community); err != nil {
		return err
	}
	return tx.ScheduleFigures(j.Community)
}
