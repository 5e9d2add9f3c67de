package bots

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/engage-org/engage/bots/when"
	"github.com/engage-org/engage/core"
)

// DefaultCurrency is the currency of campaigns when neither the goal nor the
// configuration names one.
const DefaultCurrency = "EUR"

// DefaultCampaignEditDelay is how long a campaign's progress message waits before
// it is edited, gathering the pledges that arrive meanwhile into one edit.
const DefaultCampaignEditDelay = 3 * time.Second

// Job kinds of campaigns.
const (
	jobCampaignRemind = "campaign-remind"
	jobCampaignSettle = "campaign-settle"
)

// campaignRef names a campaign's progress message in every chat, for edits.
func campaignRef(c *core.Campaign) string {
	return "campaign:" + string(c.Community) + ":" + c.ID()
}

func campaignJobID(c *core.Campaign, what string) string {
	return "campaign/" + string(c.Community) + "/" + c.ID() + "/" + what
}

// isWord reports whether w is the keyword name or one of its French aliases.
func (c *turn) isWord(w, name string) bool {
	f := core.Fold(w)
	return f == name || c.b.alias(f) == name
}

// keyword returns which of names w is ("" for none).
func (c *turn) keyword(w string, names ...string) string {
	for _, n := range names {
		if c.isWord(w, n) {
			return n
		}
	}
	return ""
}

// campaign reads a campaign ID argument of the community in context.
func (c *turn) campaign() (*core.Campaign, error) {
	id := c.word()
	if id == "" {
		return nil, c.usage()
	}
	return c.tx.Campaign(c.comm.ID, id)
}

// amountThenText reads "AMOUNT TEXT" from words: an amount in camp's currency,
// then a text that what names when it is missing ("title", "purpose").
func amountThenText(words []string, camp *core.Campaign, what string) (core.Money, string, error) {
	amount, rest, err := amountPrefix(words, camp.Goal.Currency, 0)
	if err != nil {
		return core.Money{}, "", err
	}
	if len(rest) == 0 {
		return core.Money{}, "", core.Errorf(core.CodeInvalid, "err.missing", "what", what)
	}
	return amount, strings.Join(rest, " "), nil
}

// amountPrefix reads the longest run of leading words (at most five) that is an
// amount of currency, and returns it with the words after it. When none is, the
// refusal says why the first word is not.
func amountPrefix(words []string, currency string, ceiling int64) (core.Money, []string, error) {
	var firstErr error
	for k := min(len(words), 5); k >= 1; k-- {
		m, err := core.ParseAmount(strings.Join(words[:k], " "), currency, ceiling)
		if err == nil {
			return m, words[k:], nil
		}
		firstErr = err
	}
	if firstErr == nil {
		firstErr = core.Errorf(core.CodeInvalid, "err.amount_bad", "text", "")
	}
	return core.Money{}, nil, firstErr
}

// splitAt splits words at the first one that is a keyword of names: what comes
// before, and the rest (starting with the keyword).
func (c *turn) splitAt(words []string, names ...string) (head, rest []string) {
	for i, w := range words {
		if c.keyword(w, names...) != "" {
			return words[:i], words[i:]
		}
	}
	return words, nil
}

// settings reads "KEY VALUE… KEY VALUE…" where each KEY is one of names; flags
// (keys without a value) are listed in flags. It returns the value of each key.
func (c *turn) settings(words []string, names, flags []string) (map[string]string, error) {
	out := map[string]string{}
	all := append(slices.Clone(names), flags...)
	for len(words) > 0 {
		k := c.keyword(words[0], all...)
		if k == "" {
			return nil, c.usage()
		}
		val, rest := c.splitAt(words[1:], all...)
		if slices.Contains(flags, k) {
			if len(val) > 0 {
				return nil, c.usage()
			}
			out[k] = "yes"
		} else {
			out[k] = strings.Join(val, " ")
		}
		words = rest
	}
	return out, nil
}

// cmdCampaign: /campaign new … · /campaign C1 · /campaign C1 close · /campaign C1
// collector @member [remove] · /campaign C1 backers · /campaign C1 hours @lender H.
func cmdCampaign(c *turn) error {
	if c.sub("new") {
		return campaignNew(c)
	}
	camp, err := c.campaign()
	if err != nil {
		return err
	}
	switch {
	case c.sub("close"):
		if strings.TrimSpace(c.args) != "" {
			return c.usage()
		}
		ps, err := c.tx.CloseCampaign(c.member, camp)
		if err != nil {
			return err
		}
		if err := c.settled(camp, ps); err != nil {
			return err
		}
		if c.ev.Direct {
			c.reply("campaign.closed_by_you", campaignClosedByYouText{ID: camp.ID(), Status: string(camp.Status)})
		}
		return nil
	case c.sub("collector"):
		tok := c.word()
		remove := c.sub("remove", "cancel")
		if tok == "" || strings.TrimSpace(c.args) != "" {
			return c.usage()
		}
		target, person, err := c.mention(tok)
		if err != nil {
			return err
		}
		if err := c.tx.SetCollector(c.member, camp, target.Person, !remove); err != nil {
			return err
		}
		data := campaignCollectorText{ID: camp.ID(), Title: camp.Title, Name: person.Name, Removed: remove}
		c.reply("campaign.collector", data)
		if !remove {
			return c.dm(target.Person, "campaign.collector_you", data, nil)
		}
		return nil
	case c.sub("backers"):
		return campaignBackers(c, camp)
	case c.sub("hours"):
		return campaignHours(c, camp)
	case strings.TrimSpace(c.args) == "":
		text, rows, err := c.campaignCard(camp, c.lang)
		if err != nil {
			return err
		}
		m := c.here(false)
		m.Text, m.Buttons = text, rows
		c.answer(m)
		return nil
	}
	return c.usage()
}

// campaignNew: /campaign new KIND TITLE goal AMOUNT [CUR] until DATE
// [all-or-nothing|keep-it-all] [for P1] [rate R%] [term N] [hours-value V] [share P].
func campaignNew(c *turn) error {
	words := strings.Fields(c.args)
	if len(words) < 2 {
		return c.usage()
	}
	kind, ok := core.ParseCampaignKind(words[0])
	if !ok {
		kind, ok = core.ParseCampaignKind(c.b.aliases[core.Fold(words[0])])
	}
	if !ok {
		return core.Errorf(core.CodeInvalid, "err.bad_campaign_kind", "kind", words[0])
	}
	titleWords, rest := c.splitAt(words[1:], "goal")
	if len(rest) == 0 {
		return core.Errorf(core.CodeInvalid, "err.missing", "what", "goal")
	}
	keys := []string{"until", "for", "rate", "term", "hours-value", "share"}
	flags := []string{"all-or-nothing", "keep-it-all"}
	goalWords, rest := c.splitAt(rest[1:], append(keys, flags...)...)
	set, err := c.settings(rest, keys, flags)
	if err != nil {
		return err
	}
	goalText := strings.Join(goalWords, " ")
	if goalText == "" {
		return core.Errorf(core.CodeInvalid, "err.missing", "what", "goal")
	}
	cur := core.CurrencyIn(goalText)
	if cur == "" {
		// A currency code alone after the amount ("goal 5000 CHF") is read too.
		if n := len(goalWords); n > 1 && core.ValidCurrency(goalWords[n-1]) {
			cur = strings.ToUpper(goalWords[n-1])
		} else {
			cur = c.b.cfg.Currency
		}
	}
	goal, err := core.ParseAmount(goalText, cur, 0)
	if err != nil {
		return err
	}
	spec := core.CampaignSpec{
		Kind: kind, Title: strings.Join(titleWords, " "), Goal: goal,
		AllOrNothing: set["keep-it-all"] == "",
	}
	if set["all-or-nothing"] != "" && set["keep-it-all"] != "" {
		return c.usage()
	}
	until, ok := set["until"]
	if !ok || until == "" {
		return core.Errorf(core.CodeInvalid, "err.missing", "what", "deadline")
	}
	d, err := c.parseDate(until, nil)
	if errors.Is(err, when.ErrNoDate) {
		return core.Errorf(core.CodeInvalid, "err.bad_date", "text", until)
	} else if err != nil {
		return err
	}
	spec.Deadline = d.End()
	if id, ok := set["for"]; ok {
		if spec.Project, err = c.tx.Project(c.comm.ID, id); err != nil {
			return err
		}
	}
	if v, ok := set["rate"]; ok {
		if spec.Rate, err = core.ParseRate(v); err != nil {
			return err
		}
		spec.HasRate = true
	}
	if v, ok := set["term"]; ok {
		n, err := strconv.Atoi(strings.Fields(v + " x")[0])
		if err != nil || n <= 0 {
			return core.Errorf(core.CodeInvalid, "err.loan_term", "max", core.MaxTerm)
		}
		spec.Term, spec.HasRate = n, true
	}
	if v, ok := set["hours-value"]; ok {
		m, err := core.ParseAmount(v, cur, 0)
		if err != nil {
			return err
		}
		spec.HoursValue, spec.HasRate = m.Amount, true
	}
	if v, ok := set["share"]; ok {
		m, err := core.ParseAmount(v, cur, 0)
		if err != nil {
			return err
		}
		spec.SharePrice = m.Amount
	}
	camp, err := c.tx.CreateCampaign(c.member, spec)
	if err != nil {
		return err
	}
	if err := c.b.scheduleCampaign(c.tx, camp); err != nil {
		return err
	}
	if c.ev.Direct {
		c.reply("campaign.created_dm", campaignCreatedDmText{ID: camp.ID(), Title: camp.Title})
	}
	return c.postCard(camp)
}

// scheduleCampaign schedules a new campaign's reminders (7 days and 48 hours before
// its deadline, when still to come) and its settlement at the deadline.
func (b *Bot) scheduleCampaign(tx *core.Tx, camp *core.Campaign) error {
	for _, r := range []struct {
		what  string
		early time.Duration
	}{{"7d", 7 * 24 * time.Hour}, {"48h", 48 * time.Hour}} {
		due := camp.Deadline.Add(-r.early)
		if !due.After(tx.Now()) {
			continue
		}
		data, _ := json.Marshal(map[string]string{"which": r.what})
		if err := tx.Schedule(core.Job{ID: campaignJobID(camp, "remind"+r.what), Due: due, Kind: jobCampaignRemind,
			Community: camp.Community, Ref: camp.ID(), Data: data}); err != nil {
			return err
		}
	}
	return tx.Schedule(core.Job{ID: campaignJobID(camp, "settle"), Due: camp.Deadline, Kind: jobCampaignSettle,
		Community: camp.Community, Ref: camp.ID()})
}

// rewardView is what templates show of a reward tier.
type rewardView struct {
	ID, Title        string
	Min              core.Money
	Limit, Left      int
	Limited, SoldOut bool
}

// stretchView is what templates show of a stretch goal.
type stretchView struct {
	Amount  core.Money
	Title   string
	Reached bool
}

// campaignView is what templates show of a campaign.
type campaignView struct {
	ID, Title, Kind, Status      string
	Project, ProjectTitle        string
	Goal, Pledged                core.Money
	Collected, Spent             core.Money
	Percent, Backers             int
	Bar                          string
	Open                         bool
	DaysLeft, HoursLeft          int
	Deadline                     time.Time
	AllOrNothing                 bool
	Loan                         bool
	Rate                         string
	Term                         int
	HoursValue, SharePrice       *core.Money
	Rewards                      []rewardView
	Stretch                      []stretchView
	Names                        []string
	HoursPledged, HoursGiven     int
	Donation, Reward, Equity     bool
	LimitedLeft, UnlimitedReward bool
}

// progressBar draws pct in ten cells.
func progressBar(pct int) string {
	n := min(max(pct/10, 0), 10)
	return strings.Repeat("█", n) + strings.Repeat("░", 10-n)
}

// campaignView builds the view of camp at tx's time, in comm's time zone.
func (c *turn) campaignView(camp *core.Campaign) (campaignView, error) {
	tx, comm := c.tx, c.comm
	now := tx.Now()
	v := campaignView{
		ID: camp.ID(), Title: camp.Title, Kind: string(camp.Kind), Status: string(camp.Status),
		Goal: camp.Goal, Pledged: camp.Money(camp.Pledged), Collected: camp.Money(camp.Collected),
		Spent: camp.Money(camp.Spent), Percent: camp.Percent(), Backers: camp.Backers,
		Bar: progressBar(camp.Percent()), Open: !camp.Ended(now), Deadline: camp.Deadline.In(comm.Location()),
		AllOrNothing: camp.AllOrNothing, Loan: camp.Kind == core.CampaignLoan, Term: camp.Term,
		HoursPledged: camp.HoursPledged, HoursGiven: camp.HoursGiven,
		Donation: camp.Kind == core.CampaignDonation, Reward: camp.Kind == core.CampaignReward, Equity: camp.Kind == core.CampaignEquity,
	}
	if v.Open {
		left := camp.Deadline.Sub(now)
		v.DaysLeft = int((left + 24*time.Hour - 1) / (24 * time.Hour))
		if left < 24*time.Hour {
			v.DaysLeft, v.HoursLeft = 0, max(int((left+time.Hour-1)/time.Hour), 1)
		}
	}
	if v.Loan {
		v.Rate = camp.Rate.String()
		if camp.HoursValue > 0 {
			m := camp.Money(camp.HoursValue)
			v.HoursValue = &m
		}
	}
	if camp.SharePrice > 0 {
		m := camp.Money(camp.SharePrice)
		v.SharePrice = &m
	}
	if camp.Project != 0 {
		if p, err := tx.Project(comm.ID, "P"+strconv.Itoa(camp.Project)); err == nil {
			v.Project, v.ProjectTitle = p.ID(), p.Title
		}
	}
	for i := range camp.Rewards {
		r := &camp.Rewards[i]
		v.Rewards = append(v.Rewards, rewardView{ID: r.ID(), Title: r.Title, Min: r.Min, Limit: r.Limit, Left: r.Left(), Limited: r.Limit > 0, SoldOut: r.Limit > 0 && r.Left() == 0})
	}
	for _, s := range camp.Stretch {
		v.Stretch = append(v.Stretch, stretchView{Amount: s.Amount, Title: s.Title, Reached: s.Reached})
	}
	for _, id := range camp.Public {
		if len(v.Names) == maxListed {
			break
		}
		if name := personName(tx, id); name != "" {
			v.Names = append(v.Names, name)
		}
	}
	return v, nil
}

func personName(tx *core.Tx, id core.PersonID) string {
	if p, err := tx.Person(id); err == nil {
		return p.Name
	}
	return ""
}

// presets are the amounts offered as buttons, in major units; equity campaigns
// offer whole shares instead.
var (
	presets = []int64{10, 25, 50, 100}
	shares  = []int64{1, 5, 10, 20}
)

// commandAmount writes m as a command argument ("25.50").
func commandAmount(m core.Money) string { return m.Format(".", "") }

// campaignCard renders camp's progress message in lang, with its buttons while it
// is open: preset amounts (whole shares for equity), one per reward tier with units
// left, and a custom amount that opens a form.
func (c *turn) campaignCard(camp *core.Campaign, lang string) (string, [][]Button, error) {
	b, tx := c.b, c.tx
	v, err := c.campaignView(camp)
	if err != nil {
		return "", nil, err
	}
	text := b.cat.Text(lang, "campaign.card", v)
	if !v.Open {
		return text, nil, nil
	}
	tr := func(key string, data any) string { return b.cat.Text(lang, key, data) }
	button := func(label, command string) (Button, error) {
		tok, err := tx.ButtonToken(command)
		return Button{Label: label, Token: tok}, err
	}
	var rows [][]Button
	var row []Button
	minor, _ := core.MinorUnits(camp.Goal.Currency)
	for i, n := range presets {
		m := core.Major(n, camp.Goal.Currency)
		if minor == 0 {
			m.Amount *= 100 // yen, won: ten yen is no preset
		}
		if camp.Kind == core.CampaignEquity {
			m = camp.Money(shares[i] * camp.SharePrice)
		}
		if m.Amount > core.Major(b.cfg.PledgeCeiling, camp.Goal.Currency).Amount {
			continue
		}
		btn, err := button(tr("campaign.button.amount", campaignButtonAmountText{Amount: m}), "/pledge "+camp.ID()+" "+commandAmount(m))
		if err != nil {
			return "", nil, err
		}
		row = append(row, btn)
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	for i := range camp.Rewards {
		r := &camp.Rewards[i]
		if r.Left() == 0 {
			continue
		}
		btn, err := button(tr("campaign.button.reward", campaignButtonRewardText{ID: r.ID(), Title: r.Title, Min: r.Min}),
			"/pledge "+camp.ID()+" "+commandAmount(r.Min)+" reward "+r.ID())
		if err != nil {
			return "", nil, err
		}
		rows = append(rows, []Button{btn})
	}
	raw, err := json.Marshal(b.pledgeForm(camp, lang))
	if err != nil {
		return "", nil, core.Internal("encode form", err)
	}
	tok, err := tx.ButtonToken(formPrefix + string(raw))
	if err != nil {
		return "", nil, err
	}
	rows = append(rows, []Button{{Label: tr("campaign.button.custom", nil), Token: tok}})
	return text, rows, nil
}

// postCard posts camp's progress message to every chat of the community, under
// its Ref: a live message, rendered when it is sent.
func (c *turn) postCard(camp *core.Campaign) error {
	return c.postLive(campaignRef(camp))
}

// editCard replaces camp's progress message in every chat of comm. Edits are
// throttled: an edit waits CampaignEditDelay (none when now is set), and while it
// waits, later changes join it (the outbox coalescing key), so a chat sees at most
// one edit per delay, rendered with the figures of its send.
func (c *turn) editCard(camp *core.Campaign, now bool) error {
	b, tx := c.b, c.tx
	at := tx.Now().Add(b.cfg.CampaignEditDelay)
	if now {
		at = tx.Now()
	}
	return c.queueLive(campaignRef(camp), at)
}

// cmdCampaigns: /campaigns — the community's campaigns, open ones first.
func cmdCampaigns(c *turn) error {
	cs, err := c.tx.Campaigns(c.comm.ID)
	if err != nil {
		return err
	}
	var open, ended []campaignView
	for _, camp := range cs {
		v, err := c.campaignView(camp)
		if err != nil {
			return err
		}
		if v.Open {
			open = append(open, v)
		} else {
			ended = append(ended, v)
		}
	}
	all := append(open, ended...)
	more := 0
	if len(all) > maxListed {
		more, all = len(all)-maxListed, all[:maxListed]
	}
	c.reply("campaigns", campaignsText{Campaigns: all, More: more})
	return nil
}

// cmdReward: /reward C1 AMOUNT TITLE [limit N].
func cmdReward(c *turn) error {
	camp, err := c.campaign()
	if err != nil {
		return err
	}
	words := strings.Fields(c.args)
	limit := 0
	if n := len(words); n >= 2 && c.isWord(words[n-2], "limit") {
		limit, err = strconv.Atoi(words[n-1])
		if err != nil || limit <= 0 {
			return core.Errorf(core.CodeInvalid, "err.reward_limit", "max", core.MaxRewardQty)
		}
		words = words[:n-2]
	}
	if len(words) < 2 {
		return c.usage()
	}
	amount, title, err := amountThenText(words, camp, "title")
	if err != nil {
		return err
	}
	r, err := c.tx.AddReward(c.member, camp, amount, title, limit)
	if err != nil {
		return err
	}
	c.reply("reward.added", rewardAddedText{ID: camp.ID(), Reward: r.ID(), Title: r.Title, Min: r.Min, Limit: r.Limit})
	return c.editCard(camp, false)
}

// cmdStretch: /stretch C1 AMOUNT TITLE.
func cmdStretch(c *turn) error {
	camp, err := c.campaign()
	if err != nil {
		return err
	}
	words := strings.Fields(c.args)
	if len(words) < 2 {
		return c.usage()
	}
	amount, title, err := amountThenText(words, camp, "title")
	if err != nil {
		return err
	}
	s, err := c.tx.AddStretch(c.member, camp, amount, title)
	if err != nil {
		return err
	}
	c.reply("stretch.added", stretchAddedText{ID: camp.ID(), Amount: s.Amount, Title: s.Title})
	return c.editCard(camp, false)
}

type backer struct {
	Name                 string
	Amount, Paid, Refund core.Money
	Reward               string
	Hours                int
	Status               string
}

// campaignBackers: /campaign C1 backers — the pledges, for organisers, privately.
func campaignBackers(c *turn, camp *core.Campaign) error {
	ps, err := c.tx.PledgesVisible(c.member, camp)
	if err != nil {
		return err
	}
	var bs []backer
	name := func(id core.PersonID) string {
		if n := personName(c.tx, id); n != "" {
			return n
		}
		return c.text("member.former", nil)
	}
	refund := func(id core.PersonID) core.Money {
		if r := camp.RefundOf(id); r != nil {
			return camp.Money(r.Left())
		}
		return camp.Money(0)
	}
	pledged := map[core.PersonID]bool{}
	for _, p := range ps {
		pledged[p.Person] = true
		b := backer{Name: name(p.Person), Amount: p.Amount, Paid: camp.Money(p.Paid), Refund: refund(p.Person), Hours: p.Hours, Status: string(p.Status)}
		if r := camp.Reward(p.Reward); r != nil {
			b.Reward = r.ID()
		}
		bs = append(bs, b)
	}
	for _, r := range camp.Refunds { // withdrawn pledges that were paid in part
		if !pledged[r.Person] {
			bs = append(bs, backer{Name: name(r.Person), Amount: camp.Money(r.Due), Paid: camp.Money(r.Due), Refund: camp.Money(r.Left()), Status: "withdrawn"})
		}
	}
	more := 0
	if len(bs) > 100 {
		more, bs = len(bs)-100, bs[:100]
	}
	c.replyPrivate("campaign.backers", campaignBackersText{ID: camp.ID(), Title: camp.Title, Backers: bs, More: more})
	return nil
}

// campaignHours: /campaign C1 hours @lender H — volunteering hours given back.
func campaignHours(c *turn, camp *core.Campaign) error {
	tok := c.word()
	hw := c.word()
	if tok == "" || hw == "" || strings.TrimSpace(c.args) != "" {
		return c.usage()
	}
	hours, err := strconv.Atoi(hw)
	if err != nil {
		return core.Errorf(core.CodeInvalid, "err.bad_hours", "max", core.MaxHours)
	}
	target, person, err := c.mention(tok)
	if err != nil {
		return err
	}
	p, err := c.tx.GiveHours(c.member, camp, target.Person, hours)
	if err != nil {
		return err
	}
	data := hoursGivenText{ID: camp.ID(), Title: camp.Title, Name: person.Name, Hours: hours,
		Given: p.HoursGiven, Pledged: p.Hours, Value: camp.Money(int64(hours) * camp.HoursValue)}
	c.reply("hours.given", data)
	return c.dm(target.Person, "hours.given_you", data, nil)
}

// settled tells everyone what the settlement of camp means (see settleMessages).
func (c *turn) settled(camp *core.Campaign, ps []*core.Pledge) error {
	return c.settleMessages(camp, ps)
}

// settleMessages, once camp is settled: the progress message's last edit (no
// buttons), the result in every chat, and to each backer what is still due and how
// (succeeded) or that their pledge is released (failed), with thanks; when it
// failed, a backer who had paid is told it will be refunded and by whom, and the
// organisers get the list of refunds due. The jobs still waiting for camp are
// dropped.
func (c *turn) settleMessages(camp *core.Campaign, ps []*core.Pledge) error {
	tx, comm := c.tx, c.comm
	for _, what := range []string{"remind7d", "remind48h", "settle"} {
		if err := tx.Unschedule(campaignJobID(camp, what)); err != nil {
			return err
		}
	}
	if err := c.editCard(camp, true); err != nil {
		return err
	}
	v, err := c.campaignView(camp)
	if err != nil {
		return err
	}
	key := "campaign.succeeded"
	if camp.Status == core.CampaignFailed {
		key = "campaign.failed"
	}
	if err := c.post(key, v, nil); err != nil {
		return err
	}
	var collectors []string
	for _, id := range camp.Collectors {
		if n := personName(tx, id); n != "" {
			collectors = append(collectors, n)
		}
	}
	by, err := receivers(tx, camp)
	if err != nil {
		return err
	}
	for _, p := range ps {
		d := pledgeView(comm, camp, p)
		d.Collectors = collectors
		dkey := "campaign.owe"
		if p.Status == core.PledgeReleased {
			dkey = "campaign.released"
			if r := camp.RefundOf(p.Person); r != nil && r.Left() > 0 {
				dkey = "campaign.released_refund"
				d.Refund, d.By = camp.Money(r.Left()), by[p.Person]
			}
		}
		if err := c.dm(p.Person, dkey, d, nil); err != nil {
			return err
		}
	}
	if camp.Status == core.CampaignFailed {
		return c.refundsDue(camp, by)
	}
	return nil
}

// jobCampaignSettleFunc settles a campaign at its deadline.
func jobCampaignSettleFunc(c *turn, j *core.Job) error {
	tx, comm := c.tx, c.comm
	camp, err := tx.Campaign(comm.ID, j.Ref)
	if err != nil {
		return err
	}
	ps, err := tx.SettleCampaign(camp)
	if err != nil {
		return err
	}
	return c.settleMessages(camp, ps)
}

// jobCampaignRemindFunc reminds the chats, and the followers of the linked project
// who have not pledged, that the deadline is near.
func jobCampaignRemindFunc(c *turn, j *core.Job) error {
	tx, comm := c.tx, c.comm
	camp, err := tx.Campaign(comm.ID, j.Ref)
	if err != nil {
		return err
	}
	if camp.Ended(tx.Now()) {
		return nil
	}
	var which struct {
		Which string `json:"which"`
	}
	if len(j.Data) > 0 {
		if err := json.Unmarshal(j.Data, &which); err != nil {
			return core.Internal("decode reminder", err)
		}
	}
	v, err := c.campaignView(camp)
	if err != nil {
		return err
	}
	data := campaignReminderText{C: v, Which: which.Which}
	if err := c.post("campaign.reminder", data, nil); err != nil {
		return err
	}
	if camp.Project == 0 {
		return nil
	}
	p, err := tx.Project(comm.ID, "P"+strconv.Itoa(camp.Project))
	if core.ErrorCode(err) == core.CodeNotFound {
		return nil
	} else if err != nil {
		return err
	}
	for _, f := range p.Followers {
		pl, err := tx.MyPledge(f, camp)
		if err != nil {
			return err
		}
		if pl != nil {
			continue
		}
		if err := c.dm(f, "campaign.reminder.follower", data, nil); err != nil {
			return err
		}
	}
	return nil
}

// campaignClosedByYouText is what the text campaign.closed_by_you shows.
type campaignClosedByYouText struct {
	ID     string
	Status string
}

// campaignCollectorText is what the text campaign.collector, campaign.collector_you shows.
type campaignCollectorText struct {
	ID      string
	Title   string
	Name    string
	Removed bool
}

// campaignCreatedDmText is what the text campaign.created_dm shows.
type campaignCreatedDmText struct {
	ID    string
	Title string
}

// campaignButtonAmountText is what the text campaign.button.amount shows.
type campaignButtonAmountText struct {
	Amount core.Money
}

// campaignButtonRewardText is what the text campaign.button.reward shows.
type campaignButtonRewardText struct {
	ID    string
	Title string
	Min   core.Money
}

// campaignsText is what the text campaigns shows.
type campaignsText struct {
	Campaigns []campaignView
	More      int
}

// rewardAddedText is what the text reward.added shows.
type rewardAddedText struct {
	ID     string
	Reward string
	Title  string
	Min    core.Money
	Limit  int
}

// stretchAddedText is what the text stretch.added shows.
type stretchAddedText struct {
	ID     string
	Amount core.Money
	Title  string
}

// hoursGivenText is what the text hours.given, hours.given_you shows.
type hoursGivenText struct {
	ID      string
	Title   string
	Name    string
	Hours   int
	Given   int
	Pledged int
	Value   core.Money
}

// campaignReminderText is what the text campaign.reminder, campaign.reminder.follower shows.
type campaignReminderText struct {
	C     campaignView
	Which string
}

// campaignBackersText is what the text campaign.backers shows.
type campaignBackersText struct {
	ID      string
	Title   string
	Backers []backer
	More    int
}
