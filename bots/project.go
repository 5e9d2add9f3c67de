package bots

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/engage-org/engage/core"
)

// maxListed bounds the items a list shows in one message.
const maxListed = 30

// projectView is what templates show of a project.
type projectView struct {
	ID, Title, Description, Stage string
	Referents                     []string
	NextStep                      string
	Due                           time.Time
	Shared                        bool
	Followers, Likes, News        int
	Needs                         []string
	Offers                        int
	Latest                        []newsView
	Funds                         string // money given by campaigns (/allocate), "" for none
}

type newsView struct {
	Text string
	At   time.Time
}

// names returns the display names of persons ("" for a forgotten one).
func (c *turn) names(ids []core.PersonID) []string {
	var out []string
	for _, id := range ids {
		p, err := c.tx.Person(id)
		if err != nil || p.Name == "" {
			out = append(out, c.text("member.former", nil))
			continue
		}
		out = append(out, p.Name)
	}
	return out
}

func (c *turn) view(p *core.Project, withNews bool) (projectView, error) {
	loc := c.comm.Location()
	v := projectView{
		ID: p.ID(), Title: p.Title, Description: p.Description, Stage: string(p.Stage),
		Referents: c.names(p.Referents), Followers: len(p.Followers), Likes: len(p.Likes),
		News: p.News, Offers: len(p.Offers),
	}
	if p.NextStep != nil {
		v.NextStep, v.Shared = p.NextStep.Text, p.NextStep.Shared
		if !p.NextStep.Due.IsZero() {
			v.Due = p.NextStep.Due.In(loc)
		}
	}
	for _, n := range p.Needs {
		v.Needs = append(v.Needs, n.Text)
	}
	funds, err := c.tx.AllocatedTo(c.comm.ID, p.Num)
	if err != nil {
		return v, err
	}
	if len(funds) > 0 {
		v.Funds = c.text("project.funds", projectFundsText{Funds: funds})
	}
	if withNews {
		news, err := c.tx.NewsOf(p, 3)
		if err != nil {
			return v, err
		}
		for _, n := range news {
			v.Latest = append(v.Latest, newsView{Text: n.Text, At: n.At.In(loc)})
		}
	}
	return v, nil
}

// project reads a project ID argument of the community in context.
func (c *turn) project() (*core.Project, error) {
	id := c.word()
	if id == "" {
		return nil, c.usage()
	}
	return c.tx.Project(c.comm.ID, id)
}

// cmdProjects: /projects [STAGE].
func cmdProjects(c *turn) error {
	var stage *core.Stage
	if w := c.word(); w != "" {
		s, ok := core.ParseStage(w)
		if !ok {
			return core.Errorf(core.CodeInvalid, "err.bad_stage", "stage", w)
		}
		stage = &s
	}
	ps, err := c.tx.Projects(c.comm.ID, stage)
	if err != nil {
		return err
	}
	more := 0
	if len(ps) > maxListed {
		more, ps = len(ps)-maxListed, ps[:maxListed]
	}
	var vs []projectView
	for _, p := range ps {
		v, err := c.view(p, false)
		if err != nil {
			return err
		}
		vs = append(vs, v)
	}
	st := ""
	if stage != nil {
		st = string(*stage)
	}
	c.reply("projects", projectsText{Projects: vs, Stage: st, More: more})
	return nil
}

// cmdProject: /project new TITLE [— DESCRIPTION] · /project P1 · /project P1 stage S.
func cmdProject(c *turn) error {
	if c.sub("new") {
		title, desc := splitDescription(c.args)
		p, err := c.tx.CreateProject(c.member, title, desc)
		if err != nil {
			return err
		}
		return c.postLive(projectRef(p)) // its card (projectcard.go)
	}
	p, err := c.project()
	if err != nil {
		return err
	}
	if c.sub("stage") {
		w := c.word()
		if w == "" {
			return core.Errorf(core.CodeInvalid, "err.stage_missing", "id", p.ID(), "stage", string(p.Stage))
		}
		stage, ok := core.ParseStage(w)
		if !ok {
			return core.Errorf(core.CodeInvalid, "err.bad_stage", "stage", w)
		}
		if err := c.tx.SetStage(c.member, p, stage); err != nil {
			return err
		}
		return c.post("project.stage", projectStageText{ID: p.ID(), Title: p.Title, Stage: string(stage)}, nil)
	}
	if strings.TrimSpace(c.args) != "" {
		return c.usage()
	}
	v, err := c.view(p, true)
	if err != nil {
		return err
	}
	row, err := c.buttons(c.text("button.follow", nil), "/follow "+p.ID(), c.text("button.like", nil), "/like "+p.ID(), c.text("button.offer", nil), "/offer "+p.ID())
	if err != nil {
		return err
	}
	c.reply("project.show", projectShowText{P: v}, row)
	return nil
}

// splitDescription splits "TITLE — DESCRIPTION" (also "--", " - ", "–").
func splitDescription(s string) (title, desc string) {
	for _, sep := range []string{"—", " – ", " -- ", " - "} {
		if t, d, ok := strings.Cut(s, sep); ok {
			return strings.TrimSpace(t), strings.TrimSpace(d)
		}
	}
	return strings.TrimSpace(s), ""
}

// cmdReferent: /referent P1 @member.
func cmdReferent(c *turn) error {
	p, err := c.project()
	if err != nil {
		return err
	}
	target, person, err := c.mention(c.word())
	if err != nil {
		return err
	}
	if err := c.tx.AddReferent(c.member, p, target); err != nil {
		return err
	}
	c.reply("referent.added", referentAddedText{ID: p.ID(), Title: p.Title, Name: person.Name})
	return c.dm(target.Person, "referent.you", referentYouText{ID: p.ID(), Title: p.Title, By: c.person.Name}, nil)
}

func cmdFollow(c *turn) error   { return follow(c, true) }
func cmdUnfollow(c *turn) error { return follow(c, false) }

func follow(c *turn, on bool) error {
	p, err := c.project()
	if err != nil {
		return err
	}
	if err := c.tx.Follow(c.member, p, on); err != nil {
		return err
	}
	key := "follow.on"
	if !on {
		key = "follow.off"
	}
	c.replyPrivate(key, followText{ID: p.ID(), Title: p.Title, Followers: len(p.Followers)})
	return nil
}

// cmdLike: /like P1 — answered privately; the project's card is edited.
func cmdLike(c *turn) error {
	c.private = true // its refusals too: a like is no group message
	p, err := c.project()
	if err != nil {
		return err
	}
	if err := c.tx.Like(c.member, p); err != nil {
		return err
	}
	// The liker alone is answered; the card shows the count (projectcard.go).
	c.replyPrivate("like", likeText{ID: p.ID(), Title: p.Title, Likes: len(p.Likes)})
	return c.editPosted(projectRef(p))
}

// cmdNews: /news P1 TEXT — to every chat of the community and to followers.
func cmdNews(c *turn) error {
	p, err := c.project()
	if err != nil {
		return err
	}
	if strings.TrimSpace(c.args) == "" { // ask for the text
		if !core.CanManage(c.member, p) {
			return core.Errorf(core.CodeForbidden, "err.not_referent", "id", p.ID())
		}
		return c.askForm(Form{
			Title:   c.ownText("form.news", formNewsText{ID: p.ID(), Title: p.Title}),
			Fields:  []Field{{Name: "text", Label: c.ownText("form.news.text", nil), Multiline: true}},
			Command: "/news " + p.ID() + " {text}",
		})
	}
	n, err := c.tx.PostNews(c.member, p, c.args)
	if err != nil {
		return err
	}
	data := newsBackerText{ID: p.ID(), Title: p.Title, Text: n.Text, By: c.person.Name}
	if err := c.post("news.post", data, nil); err != nil {
		return err
	}
	for _, f := range p.Followers {
		if f == c.person.ID {
			continue
		}
		if err := c.dm(f, "news.follower", data, nil); err != nil {
			return err
		}
	}
	// Backers of the project's campaigns hear from it too (once, if they follow it).
	backers, err := c.tx.BackersOf(c.comm.ID, p.Num)
	if err != nil {
		return err
	}
	for _, bk := range backers {
		if bk == c.person.ID || slices.Contains(p.Followers, bk) {
			continue
		}
		if err := c.dm(bk, "news.backer", data, nil); err != nil {
			return err
		}
	}
	if c.ev.Direct {
		c.reply("news.posted", newsPostedText{ID: p.ID(), Followers: len(p.Followers)})
	}
	return nil
}

// cmdNextStep: /nextstep P1 TEXT [by DATE] · /nextstep P1 share. Typed in the
// community chat it counts as shared; typed in private, a button offers to post it.
func cmdNextStep(c *turn) error {
	p, err := c.project()
	if err != nil {
		return err
	}
	if c.sub("share") {
		if !core.CanManage(c.member, p) {
			return core.Errorf(core.CodeForbidden, "err.not_referent", "id", p.ID())
		}
		if err := c.tx.MarkShared(p); err != nil {
			return err
		}
		if err := c.post("nextstep.post", c.nextStepData(p), nil); err != nil {
			return err
		}
		c.replyPrivate("nextstep.shared", nextstepSharedText{ID: p.ID()})
		return nil
	}
	if strings.TrimSpace(c.args) == "" { // ask for the step and its date
		if !core.CanManage(c.member, p) {
			return core.Errorf(core.CodeForbidden, "err.not_referent", "id", p.ID())
		}
		return c.askForm(Form{
			Title: c.ownText("form.nextstep", formNextstepText{ID: p.ID(), Title: p.Title}),
			Fields: []Field{
				{Name: "text", Label: c.ownText("form.nextstep.text", nil)},
				{Name: "due", Label: c.ownText("form.nextstep.due", nil), Placeholder: c.ownText("form.nextstep.due_hint", nil), Optional: true},
			},
			Command: "/nextstep " + p.ID() + " {text} " + c.ownText("form.nextstep.by", nil) + " {due}",
		})
	}
	text, due, err := c.findDue(c.args)
	if err != nil {
		return err
	}
	shared := !c.ev.Direct
	if err := c.tx.SetNextStep(c.member, p, text, due, shared); err != nil {
		return err
	}
	data := c.nextStepData(p)
	if shared {
		if err := c.post("nextstep.post", data, nil); err != nil {
			return err
		}
	} else {
		row, err := c.buttons(c.text("button.share", nil), "/nextstep "+p.ID()+" share")
		if err != nil {
			return err
		}
		c.reply("nextstep.saved", data, row)
	}
	for _, f := range p.Followers {
		if f == c.person.ID || !shared {
			continue
		}
		if err := c.dm(f, "nextstep.follower", data, nil); err != nil {
			return err
		}
	}
	return nil
}

func (c *turn) nextStepData(p *core.Project) nextStepText {
	d := nextStepText{ID: p.ID(), Title: p.Title, By: c.person.Name}
	if ns := p.NextStep; ns != nil {
		d.Text = ns.Text
		if !ns.Due.IsZero() {
			due := ns.Due.In(c.comm.Location())
			d.Due = &due
		}
	}
	return d
}

// nextStepText is what the texts nextstep.post, nextstep.saved, nextstep.follower show.
type nextStepText struct {
	ID, Title, By, Text string
	Due                 *time.Time
}

// followText is what the texts follow.on, follow.off show.
type followText struct {
	ID, Title string
	Followers int
}

// cmdNeeds: /needs P1 TEXT.
func cmdNeeds(c *turn) error {
	p, err := c.project()
	if err != nil {
		return err
	}
	if strings.TrimSpace(c.args) == "" {
		return c.usage()
	}
	if err := c.tx.AddNeed(c.member, p, c.args); err != nil {
		return err
	}
	offer := btn{key: "button.offer", cmd: "/offer " + p.ID()}
	return c.post("needs.post", needsPostText{ID: p.ID(), Title: p.Title, Text: strings.TrimSpace(c.args)}, nil, []btn{offer})
}

// cmdOffer: /offer P1 [TEXT] — the referents are told.
func cmdOffer(c *turn) error {
	p, err := c.project()
	if err != nil {
		return err
	}
	if err := c.tx.OfferHelp(c.member, p, c.args); err != nil {
		return err
	}
	data := offerThanksText{ID: p.ID(), Title: p.Title, Name: c.person.Name, Text: strings.TrimSpace(c.args)}
	c.replyPrivate("offer.thanks", data)
	for _, r := range p.Referents {
		if r == c.person.ID {
			continue
		}
		if err := c.dm(r, "offer.referent", data, nil); err != nil {
			return err
		}
	}
	return nil
}

// cmdContact: /contact P1 [email=… phone=… handle=… when="…"] — facilitators only;
// answered privately.
func cmdContact(c *turn) error {
	p, err := c.project()
	if err != nil {
		return err
	}
	var f core.ContactFields
	if strings.TrimSpace(c.args) != "" {
		kv, err := parseFields(c.args)
		if err != nil {
			return err
		}
		for k, v := range kv {
			v := v
			switch k {
			case "email", "mail", "courriel":
				f.Email = &v
			case "phone", "tel", "telephone":
				f.Phone = &v
			case "handle", "pseudo":
				f.Handle = &v
			case "when", "quand":
				f.When = &v
			default:
				return core.Errorf(core.CodeInvalid, "err.bad_field", "field", k)
			}
		}
		if _, err := c.tx.SetContact(c.member, p, f); err != nil {
			return err
		}
	}
	ct, err := c.tx.Contact(c.member, p)
	if err != nil {
		return err
	}
	c.replyPrivate("contact.show", contactShowText{ID: p.ID(), Title: p.Title, C: ct, Referents: c.names(p.Referents)})
	return nil
}

// parseFields reads key=value pairs; a value may be quoted with "…" to hold spaces.
func parseFields(s string) (map[string]string, error) {
	out := map[string]string{}
	s = strings.TrimSpace(s)
	for s != "" {
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return nil, core.Errorf(core.CodeInvalid, "err.bad_fields")
		}
		k := core.Fold(s[:eq])
		if strings.ContainsAny(k, " \t") {
			return nil, core.Errorf(core.CodeInvalid, "err.bad_fields")
		}
		s = s[eq+1:]
		var v string
		if strings.HasPrefix(s, "\"") || strings.HasPrefix(s, "“") {
			q := s[:1]
			if q != "\"" {
				q = "“"
			}
			s = s[len(q):]
			end := strings.IndexAny(s, "\"”")
			if end < 0 {
				return nil, core.Errorf(core.CodeInvalid, "err.bad_fields")
			}
			v = s[:end]
			s = s[end:]
			_, size := firstRune(s)
			s = s[size:]
		} else {
			// An unquoted value runs over the words that do not start the next
			// field: phone=+33 6 12 34 56 78, when=Tuesday evening.
			v, s = cut(s)
			for s != "" {
				w, rest := cut(s)
				if fieldStart(w) {
					break
				}
				v, s = v+" "+w, rest
			}
		}
		out[k] = v
		s = strings.TrimSpace(s)
	}
	return out, nil
}

// fieldStart reports whether word w starts a field: a name, then "=".
func fieldStart(w string) bool {
	name, _, ok := strings.Cut(w, "=")
	if !ok || name == "" {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && r != '_' && r != '-' {
			return false
		}
	}
	return true
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// projectFundsText is what the text project.funds shows.
type projectFundsText struct {
	Funds []core.Allocation
}

// projectsText is what the text projects shows.
type projectsText struct {
	Projects []projectView
	Stage    string
	More     int
}

// projectStageText is what the text project.stage shows.
type projectStageText struct {
	ID    string
	Title string
	Stage string
}

// projectShowText is what the text project.show shows.
type projectShowText struct {
	P projectView
}

// referentAddedText is what the text referent.added shows.
type referentAddedText struct {
	ID    string
	Title string
	Name  string
}

// referentYouText is what the text referent.you shows.
type referentYouText struct {
	ID    string
	Title string
	By    string
}

// likeText is what the text like shows.
type likeText struct {
	ID    string
	Title string
	Likes int
}

// formNewsText is what the text form.news shows.
type formNewsText struct {
	ID    string
	Title string
}

// newsBackerText is what the text news.backer, news.follower, news.post shows.
type newsBackerText struct {
	ID    string
	Title string
	Text  string
	By    string
}

// newsPostedText is what the text news.posted shows.
type newsPostedText struct {
	ID        string
	Followers int
}

// nextstepSharedText is what the text nextstep.shared shows.
type nextstepSharedText struct {
	ID string
}

// formNextstepText is what the text form.nextstep shows.
type formNextstepText struct {
	ID    string
	Title string
}

// needsPostText is what the text needs.post shows.
type needsPostText struct {
	ID    string
	Title string
	Text  string
}

// offerThanksText is what the text offer.thanks, offer.referent shows.
type offerThanksText struct {
	ID    string
	Title string
	Name  string
	Text  string
}

// contactShowText is what the text contact.show shows.
type contactShowText struct {
	ID        string
	Title     string
	C         *core.Contact
	Referents []string
}
