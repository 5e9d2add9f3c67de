package bots

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/engage-org/engage/bots/when"
	"github.com/engage-org/engage/core"
	"github.com/robfig/cron/v3"
)

// slotJobID is the ID of a community's weekly slot job.
func slotJobID(c core.CommunityID) string { return core.JobSlot + "/" + string(c) }

// slotJob is the data of the slot job: the regular weekly occurrence it stands for
// (the job's Due differs when /slot move moved this week's).
type slotJob struct {
	Regular time.Time `json:"regular"`
}

// cronSpec is f's weekly slot as a cron schedule in its zone.
func cronSpec(f *core.Facilitation) string {
	return fmt.Sprintf("CRON_TZ=%s %d %d * * %d", f.Zone, f.Minute, f.Hour, int(f.Weekday))
}

// nextSlot returns the first regular occurrence of f's weekly slot strictly after
// `after`. robfig/cron computes it in the slot's zone; two daylight-saving cases
// are then corrected so that every week has exactly one slot at its wall-clock time:
// cron skips the week when the time does not exist that day (a spring-forward gap:
// the slot then falls just after the gap) and fires twice when it exists twice
// (fall back: the first one counts).
func nextSlot(f *core.Facilitation, after time.Time) (time.Time, error) {
	sched, err := cron.ParseStandard(cronSpec(f))
	if err != nil {
		return time.Time{}, core.Internal("parse slot schedule", err)
	}
	loc := f.Location()
	n := sched.Next(after)
	d := after.In(loc)
	var want time.Time
	for k := 0; k <= 7; k++ {
		day := time.Date(d.Year(), d.Month(), d.Day()+k, 12, 0, 0, 0, loc)
		if day.Weekday() != f.Weekday {
			continue
		}
		if k == 0 && d.Hour()*60+d.Minute() >= f.Hour*60+f.Minute {
			continue // today's slot is past by the wall clock (also in a repeated hour)
		}
		cand := time.Date(day.Year(), day.Month(), day.Day(), f.Hour, f.Minute, 0, 0, loc)
		if cand.After(after) {
			want = cand
			break
		}
	}
	if !n.IsZero() && sameDay(n.In(loc), want) {
		return n, nil
	}
	return want, nil
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// scheduleSlot schedules f's next regular slot after `after`.
func scheduleSlot(tx *core.Tx, f *core.Facilitation, after time.Time) (time.Time, error) {
	at, err := nextSlot(f, after)
	if err != nil {
		return time.Time{}, err
	}
	raw, err := json.Marshal(slotJob{Regular: at})
	if err != nil {
		return time.Time{}, core.Internal("encode slot job", err)
	}
	return at, tx.Schedule(core.Job{ID: slotJobID(f.Community), Due: at, Kind: core.JobSlot, Community: f.Community, Data: raw})
}

// pendingSlot returns the scheduled slot job and its regular occurrence (nil if none).
func pendingSlot(tx *core.Tx, c core.CommunityID) (*core.Job, time.Time, error) {
	j, err := tx.ScheduledJob(slotJobID(c))
	if err != nil || j == nil {
		return nil, time.Time{}, err
	}
	var sj slotJob
	if err := json.Unmarshal(j.Data, &sj); err != nil || sj.Regular.IsZero() {
		sj.Regular = j.Due
	}
	return j, sj.Regular, nil
}

// weekStart is the Monday 00:00 of t's week in loc.
func weekStart(t time.Time, loc *time.Location) time.Time {
	d := t.In(loc)
	back := (int(d.Weekday()) + 6) % 7
	return time.Date(d.Year(), d.Month(), d.Day()-back, 0, 0, 0, 0, loc)
}

// slotText is what the texts slot.show, slot.set, backup.show show.
type slotText struct {
	HasSlot             bool
	Zone                string
	Weekday, Hour       int
	Minute              string    // two digits
	Day                 time.Time // a day of the slot's weekday, for {{weekday .Day}}
	Facilitator, Backup string
	Next                *time.Time // the next slot, if one is scheduled
	Moved               bool       // this week's slot is not at the usual time
	Regular             time.Time  // the usual time, when Moved
}

// slotView is what texts show of the slot.
func (c *turn) slotView(f *core.Facilitation) (*slotText, error) {
	data := &slotText{HasSlot: f.HasSlot(), Zone: f.Zone, Weekday: int(f.Weekday),
		Hour: f.Hour, Minute: fmt.Sprintf("%02d", f.Minute),
		// 7 January 2024 was a Sunday
		Day: time.Date(2024, 1, 7+int(f.Weekday), 12, 0, 0, 0, time.UTC)}
	if f.Facilitator != "" {
		data.Facilitator = c.name(f.Facilitator)
	}
	if f.Backup != "" {
		data.Backup = c.name(f.Backup)
	}
	j, regular, err := pendingSlot(c.tx, f.Community)
	if err != nil {
		return nil, err
	}
	if j != nil {
		next := j.Due.In(f.Location())
		data.Next = &next
		if !j.Due.Equal(regular) {
			data.Moved = true
			data.Regular = regular.In(f.Location())
		}
	}
	return data, nil
}

// name is a person's display name ("a former member" for a forgotten one).
func (c *turn) name(id core.PersonID) string {
	if ns := c.names([]core.PersonID{id}); len(ns) == 1 {
		return ns[0]
	}
	return ""
}

// cmdSlot: /slot DAY HH:MM [ZONE] · /slot move DAY [HH:MM] · /slot (show).
func cmdSlot(c *turn) error {
	if c.sub("move") {
		return slotMove(c)
	}
	f, err := c.tx.Facilitation(c.comm.ID)
	if err != nil {
		return err
	}
	if strings.TrimSpace(c.args) == "" {
		data, err := c.slotView(f)
		if err != nil {
			return err
		}
		c.reply("slot.show", data)
		return nil
	}
	if err := core.RequireFacilitation(c.member); err != nil {
		return err
	}
	words := strings.Fields(c.args)
	zone := ""
	if last := words[len(words)-1]; len(words) > 1 && (strings.Contains(last, "/") || strings.EqualFold(last, "UTC")) {
		zone, words = last, words[:len(words)-1]
		if _, err := core.LoadLocation(zone); err != nil {
			return core.Errorf(core.CodeInvalid, "err.bad_timezone", "tz", zone)
		}
	}
	loc := c.comm.Location()
	if zone != "" {
		loc, _ = core.LoadLocation(zone)
	}
	spec := strings.Join(words, " ")
	d, err := c.parseDate(spec, loc)
	var far *when.TooFarError
	if errors.As(err, &far) {
		return err
	}
	if err != nil || !d.HasTime || len(words) < 2 { // a day and a time ("18:00" alone names no day)
		return core.Errorf(core.CodeInvalid, "err.bad_slot_spec", "text", spec)
	}
	f, prev, err := c.tx.SetSlot(c.member, d.Time.Weekday(), d.Time.Hour(), d.Time.Minute(), zone)
	if err != nil {
		return err
	}
	if _, err := scheduleSlot(c.tx, f, c.tx.Now()); err != nil {
		return err
	}
	if err := c.tx.ScheduleFigures(c.comm.ID); err != nil {
		return err
	}
	data, err := c.slotView(f)
	if err != nil {
		return err
	}
	c.reply("slot.set", data)
	if prev != "" {
		return c.dm(prev, "slot.handover", slotHandoverText{By: c.person.Name, Community: c.comm.Name}, nil)
	}
	return nil
}

// slotMove: /slot move DAY [HH:MM] — this week's slot only.
func slotMove(c *turn) error {
	if err := core.RequireFacilitation(c.member); err != nil {
		return err
	}
	f, err := c.tx.Facilitation(c.comm.ID)
	if err != nil {
		return err
	}
	j, regular, err := pendingSlot(c.tx, c.comm.ID)
	if err != nil {
		return err
	}
	if !f.HasSlot() || j == nil {
		return core.Errorf(core.CodeConflict, "err.no_slot")
	}
	if strings.TrimSpace(c.args) == "" {
		return c.usage()
	}
	loc := f.Location()
	d, err := c.parseDate(c.args, loc)
	if errors.Is(err, when.ErrNoDate) {
		return core.Errorf(core.CodeInvalid, "err.bad_date", "text", c.args)
	} else if err != nil {
		return err
	}
	to := d.Time
	if !d.HasTime {
		to = time.Date(to.Year(), to.Month(), to.Day(), f.Hour, f.Minute, 0, 0, loc)
	}
	if !to.After(c.tx.Now()) {
		return core.Errorf(core.CodeInvalid, "err.date_past")
	}
	start := weekStart(regular, loc)
	if to.Before(start) || !to.Before(start.AddDate(0, 0, 7)) {
		return core.Errorf(core.CodeInvalid, "err.slot_move_week", "regular", regular.In(loc))
	}
	j.Due = to
	if err := c.tx.Schedule(*j); err != nil {
		return err
	}
	c.reply("slot.moved", slotMovedText{At: to.In(loc), Regular: regular.In(loc)})
	return nil
}

// cmdBackup: /backup @member · /backup none · /backup (show).
func cmdBackup(c *turn) error {
	tok := c.word()
	if tok == "" {
		f, err := c.tx.Facilitation(c.comm.ID)
		if err != nil {
			return err
		}
		data, err := c.slotView(f)
		if err != nil {
			return err
		}
		c.reply("backup.show", data)
		return nil
	}
	if w := core.Fold(tok); w == "none" || w == "aucun" || w == "personne" || w == "off" {
		if _, err := c.tx.ClearBackup(c.member); err != nil {
			return err
		}
		c.reply("backup.cleared", nil)
		return nil
	}
	if err := core.RequireFacilitation(c.member); err != nil {
		return err
	}
	target, p, err := c.mention(tok)
	if err != nil {
		return err
	}
	f, err := c.tx.SetBackup(c.member, target)
	if err != nil {
		return err
	}
	c.reply("backup.set", backupSetText{Name: p.Name, HasSlot: f.HasSlot()})
	return c.dm(target.Person, "backup.you", backupYouText{By: c.person.Name, Community: c.comm.Name}, nil)
}

// cmdAway: /away FROM TO · /away TO · /away off · /away (show).
func cmdAway(c *turn) error {
	loc := c.comm.Location()
	if c.sub("off", "cancel") {
		if err := c.tx.ClearAway(c.member); err != nil {
			return err
		}
		c.reply("away.cleared", nil)
		return nil
	}
	args := strings.TrimSpace(c.args)
	if args == "" {
		ps, err := c.tx.Absences(c.comm.ID, c.person.ID)
		if err != nil {
			return err
		}
		var out []awayPeriod
		for _, p := range ps {
			out = append(out, awayPeriod{p.From.In(loc), p.To.In(loc)})
		}
		c.reply("away.show", awayShowText{Periods: out})
		return nil
	}
	now := c.tx.Now()
	first, rest, err := c.findDate(args, loc)
	if errors.Is(err, when.ErrNoDate) {
		return core.Errorf(core.CodeInvalid, "err.bad_date", "text", args)
	} else if err != nil {
		return err
	}
	from, to := first.Time, first.End()
	if second, rest2, err := c.findDate(rest, loc); err == nil {
		to, rest = second.End(), rest2
	} else if !errors.Is(err, when.ErrNoDate) {
		return err
	} else {
		from = now // one date: away from now until then
	}
	if r := strings.Trim(strings.TrimSpace(rest), "-–—,;"); r != "" && !isConnector(r) {
		return core.Errorf(core.CodeInvalid, "err.bad_date", "text", r)
	}
	if from.Before(now) && !first.HasTime && sameDay(from.In(loc), now.In(loc)) {
		from = now
	}
	p, err := c.tx.SetAway(c.member, from, to)
	if err != nil {
		return err
	}
	data := awaySetText{From: p.From.In(loc), To: p.To.In(loc), Name: c.person.Name}
	// A facilitator away at their next slot with no backup: the admins will be told.
	f, err := c.tx.Facilitation(c.comm.ID)
	if err != nil {
		return err
	}
	if j, _, err := pendingSlot(c.tx, c.comm.ID); err != nil {
		return err
	} else if j != nil && f.Facilitator == c.person.ID && !j.Due.Before(p.From) && !j.Due.After(p.To) {
		host, _, err := c.tx.Host(f, j.Due)
		if err != nil {
			return err
		}
		at := j.Due.In(f.Location())
		data.SlotAt = &at
		if host != "" {
			data.Stands = c.name(host)
		} else {
			data.Nobody = true
		}
	}
	c.reply("away.set", data)
	return nil
}

// isConnector reports whether s is a word that joins two dates ("to", "au", "until").
func isConnector(s string) bool {
	switch core.Fold(s) {
	case "to", "until", "till", "au", "a", "jusqu'au", "jusqu'a", "et", "and", "-":
		return true
	}
	return false
}

// slotHandoverText is what the text slot.handover shows.
type slotHandoverText struct {
	By        string
	Community string
}

// slotMovedText is what the text slot.moved shows.
type slotMovedText struct {
	At      time.Time
	Regular time.Time
}

// backupSetText is what the text backup.set shows.
type backupSetText struct {
	Name    string
	HasSlot bool
}

// backupYouText is what the text backup.you shows.
type backupYouText struct {
	By        string
	Community string
}

// awaySetText is what the text away.set shows.
type awaySetText struct {
	From   time.Time
	To     time.Time
	Name   string
	Stands string
	Nobody bool
	SlotAt *time.Time
}

// awayShowText is what the text away.show shows.
type awayShowText struct{ Periods []awayPeriod }

// awayPeriod is one of a member's periods away.
type awayPeriod struct{ From, To time.Time }
