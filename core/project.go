package core

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Stage is where a project stands, in the order projects usually go through.
type Stage string

// The stages of a project.
const (
	StageIdea          Stage = "idea"
	StageSupport       Stage = "support"
	StageAccompaniment Stage = "accompaniment"
	StageFundraising   Stage = "fundraising"
	StageFunded        Stage = "funded"
	StageRunning       Stage = "running"
	StageDone          Stage = "done"
)

// Stages lists the stages in order.
var Stages = []Stage{StageIdea, StageSupport, StageAccompaniment, StageFundraising, StageFunded, StageRunning, StageDone}

// ParseStage returns the stage named s, in English or French.
func ParseStage(s string) (Stage, bool) {
	switch fold(s) {
	case "idea", "idee":
		return StageIdea, true
	case "support", "soutien":
		return StageSupport, true
	case "accompaniment", "accompagnement":
		return StageAccompaniment, true
	case "fundraising", "financement", "collecte":
		return StageFundraising, true
	case "funded", "finance", "financee":
		return StageFunded, true
	case "running", "en-cours", "encours", "lance", "lancee":
		return StageRunning, true
	case "done", "termine", "terminee", "fini", "finie":
		return StageDone, true
	}
	return "", false
}

// NextStep is a project's next concrete step, its date and whether the community
// was told. A zero Due means no date was given.
type NextStep struct {
	Text   string    `json:"text"`
	Due    time.Time `json:"due,omitzero"`
	Shared bool      `json:"shared"`
	SetAt  time.Time `json:"set_at"`
	SetBy  PersonID  `json:"set_by"`
}

// Need is a skill or help a project seeks.
type Need struct {
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// Offer is a member's offer to help a project.
type Offer struct {
	Person PersonID  `json:"person"`
	Text   string    `json:"text,omitempty"`
	At     time.Time `json:"at"`
}

// Project is a community's project: referents carry it, followers get its news.
type Project struct {
	Community   CommunityID `json:"community"`
	Num         int         `json:"num"`
	Title       string      `json:"title"`
	Description string      `json:"description,omitempty"`
	Referents   []PersonID  `json:"referents"`
	Stage       Stage       `json:"stage"`
	NextStep    *NextStep   `json:"next_step,omitempty"`
	Followers   []PersonID  `json:"followers,omitempty"`
	Likes       []PersonID  `json:"likes,omitempty"`
	Needs       []Need      `json:"needs,omitempty"`
	Offers      []Offer     `json:"offers,omitempty"`
	News        int         `json:"news"` // number of news posts
	LastNews    time.Time   `json:"last_news,omitzero"`
	Created     time.Time   `json:"created"`
	CreatedBy   PersonID    `json:"created_by"`
}

// ID returns the project's short ID ("P3").
func (p *Project) ID() string { return "P" + strconv.Itoa(p.Num) }

// News is one news post of a project.
type News struct {
	Community CommunityID `json:"community"`
	Project   int         `json:"project"`
	Text      string      `json:"text"`
	Author    PersonID    `json:"author"`
	At        time.Time   `json:"at"`
}

// Contact is a project's entry in the facilitators' tracking sheet: how and when to
// reach its referents. Only facilitators and admins may read or write it.
type Contact struct {
	Email   string    `json:"email,omitempty"`
	Phone   string    `json:"phone,omitempty"`
	Handle  string    `json:"handle,omitempty"`
	When    string    `json:"when,omitempty"`
	Updated time.Time `json:"updated"`
	By      PersonID  `json:"by"`
}

// ParseShortID reads a short ID such as "P3" or "v12" of the given kind letter and
// returns its number. Returns CodeInvalid ("err.bad_id").
func ParseShortID(kind byte, s string) (int, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || (s[0] != kind && s[0] != kind+('a'-'A')) {
		return 0, Errorf(CodeInvalid, "err.bad_id", "id", s, "kind", string(kind))
	}
	n, err := strconv.Atoi(s[1:])
	if err != nil || n <= 0 || n > 1_000_000 {
		return 0, Errorf(CodeInvalid, "err.bad_id", "id", s, "kind", string(kind))
	}
	return n, nil
}

func projectKey(c CommunityID, num int) string { return key(string(c), pad(uint64(num))) }

// Project returns project id ("P3") of community c. Returns CodeInvalid for a
// malformed ID and CodeNotFound ("err.no_project") when c has no such project.
func (tx *Tx) Project(c CommunityID, id string) (*Project, error) {
	n, err := ParseShortID('P', id)
	if err != nil {
		return nil, err
	}
	p, err := getDecoded(tx, bucketProject, projectKey(c, n), (*Project).clone)
	if ok, err := found(err); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(CodeNotFound, "err.no_project", "id", strings.ToUpper(id))
	}
	return p, nil
}

// Projects returns the projects of community c, optionally only those at stage.
func (tx *Tx) Projects(c CommunityID, stage *Stage) ([]*Project, error) {
	var out []*Project
	err := scanJSON(tx, bucketProject, string(c)+"/", false, func(_ string, p *Project) error {
		if stage == nil || p.Stage == *stage {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

func (tx *Tx) putProject(p *Project) error {
	return putDecoded(tx, bucketProject, projectKey(p.Community, p.Num), p, (*Project).clone)
}

// CanManage reports whether m may manage project p: its referents, facilitators and
// admins.
func CanManage(m *Member, p *Project) bool {
	return m.Role.AtLeast(RoleFacilitator) || slices.Contains(p.Referents, m.Person)
}

func requireManage(m *Member, p *Project) error {
	if !CanManage(m, p) {
		return Errorf(CodeForbidden, "err.not_referent", "id", p.ID())
	}
	return nil
}

// CreateProject opens a project in actor's community with actor as its referent
// (a member becomes a referent). Returns CodeInvalid for a missing or long title.
func (tx *Tx) CreateProject(actor *Member, title, description string) (*Project, error) {
	title, err := checkText(title, MaxNameLen, "title")
	if err != nil {
		return nil, err
	}
	if description != "" {
		if description, err = checkText(description, MaxTextLen, "description"); err != nil {
			return nil, err
		}
	}
	c, err := tx.Community(actor.Community)
	if err != nil {
		return nil, err
	}
	n, err := tx.nextShortID(c, "P")
	if err != nil {
		return nil, err
	}
	p := &Project{
		Community: c.ID, Num: n, Title: title, Description: description,
		Referents: []PersonID{actor.Person}, Stage: StageIdea,
		Created: tx.now, CreatedBy: actor.Person,
	}
	if err := tx.putProject(p); err != nil {
		return nil, err
	}
	if actor.Role == RoleMember {
		actor.Role = RoleReferent
		if err := tx.putMember(actor); err != nil {
			return nil, err
		}
	}
	return p, tx.index(c.ID, "project", p.ID(), title+" "+description)
}

// SetStage moves project p to stage. Referents, facilitators and admins only.
func (tx *Tx) SetStage(actor *Member, p *Project, stage Stage) error {
	if err := requireManage(actor, p); err != nil {
		return err
	}
	if p.Stage == stage {
		return Errorf(CodeConflict, "err.stage_same", "id", p.ID(), "stage", string(stage))
	}
	p.Stage = stage
	if err := tx.countStageChange(p.Community); err != nil {
		return err
	}
	return tx.putProject(p)
}

// countStageChange counts one more change of a project's stage in community c,
// for the impact figures.
func (tx *Tx) countStageChange(c CommunityID) error {
	f, err := tx.Facilitation(c)
	if err != nil {
		return err
	}
	f.StageChanges++
	return tx.putFacilitation(f)
}

// AddReferent makes target a referent of p. Referents, facilitators and admins only;
// CodeConflict when target already is one.
func (tx *Tx) AddReferent(actor *Member, p *Project, target *Member) error {
	if err := requireManage(actor, p); err != nil {
		return err
	}
	if slices.Contains(p.Referents, target.Person) {
		return Errorf(CodeConflict, "err.already_referent", "id", p.ID())
	}
	p.Referents = append(p.Referents, target.Person)
	if target.Role == RoleMember {
		target.Role = RoleReferent
		if err := tx.putMember(target); err != nil {
			return err
		}
	}
	return tx.putProject(p)
}

// Follow makes actor a follower of p (on=true) or stops it. Returns CodeConflict
// when nothing changes.
func (tx *Tx) Follow(actor *Member, p *Project, on bool) error {
	has := slices.Contains(p.Followers, actor.Person)
	switch {
	case on && has:
		return Errorf(CodeConflict, "err.already_following", "id", p.ID())
	case !on && !has:
		return Errorf(CodeConflict, "err.not_following", "id", p.ID())
	case on:
		p.Followers = append(p.Followers, actor.Person)
	default:
		p.Followers = slices.DeleteFunc(p.Followers, func(id PersonID) bool { return id == actor.Person })
	}
	return tx.putProject(p)
}

// Like records actor's like of p. Returns CodeConflict if already liked.
func (tx *Tx) Like(actor *Member, p *Project) error {
	if slices.Contains(p.Likes, actor.Person) {
		return Errorf(CodeConflict, "err.already_liked", "id", p.ID())
	}
	p.Likes = append(p.Likes, actor.Person)
	return tx.putProject(p)
}

// PostNews adds a news post to p. Referents, facilitators and admins only.
// The caller sends it to the community's chats and to p.Followers.
func (tx *Tx) PostNews(actor *Member, p *Project, text string) (*News, error) {
	if err := requireManage(actor, p); err != nil {
		return nil, err
	}
	text, err := checkText(text, MaxTextLen, "text")
	if err != nil {
		return nil, err
	}
	seq, err := tx.next("news/" + string(p.Community))
	if err != nil {
		return nil, err
	}
	n := &News{Community: p.Community, Project: p.Num, Text: text, Author: actor.Person, At: tx.now}
	if err := tx.putJSON(bucketNews, key(string(p.Community), pad(uint64(p.Num)), pad(seq)), n); err != nil {
		return nil, err
	}
	p.News++
	p.LastNews = tx.now
	if err := tx.putProject(p); err != nil {
		return nil, err
	}
	return n, tx.indexEntry(p.Community, SearchEntry{Kind: "news", Ref: p.ID(), Title: p.Title, Text: text})
}

// NewsOf returns p's latest news, newest first, at most limit.
func (tx *Tx) NewsOf(p *Project, limit int) ([]*News, error) {
	var out []*News
	prefix := key(string(p.Community), pad(uint64(p.Num))) + "/"
	err := scanJSON(tx, bucketNews, prefix, true, func(_ string, n *News) error {
		out = append(out, n)
		if len(out) >= limit {
			return ErrStop
		}
		return nil
	})
	return out, err
}

// SetNextStep records p's next step, due by due (zero for no date), and whether it
// was shared with the community. Referents, facilitators and admins only. A due date
// before today is refused (CodeInvalid, "err.date_past").
func (tx *Tx) SetNextStep(actor *Member, p *Project, text string, due time.Time, shared bool) error {
	if err := requireManage(actor, p); err != nil {
		return err
	}
	text, err := checkText(text, MaxTextLen, "text")
	if err != nil {
		return err
	}
	if !due.IsZero() && due.Before(tx.now) {
		return Errorf(CodeInvalid, "err.date_past")
	}
	p.NextStep = &NextStep{Text: text, Due: due, Shared: shared, SetAt: tx.now, SetBy: actor.Person}
	if err := tx.putProject(p); err != nil {
		return err
	}
	if err := tx.watchStepDue(p); err != nil {
		return err
	}
	return tx.indexEntry(p.Community, SearchEntry{Kind: "nextstep", Ref: p.ID(), Title: p.Title, Text: text})
}

// MarkShared records that p's next step was posted to the community.
func (tx *Tx) MarkShared(p *Project) error {
	if p.NextStep == nil {
		return Errorf(CodeConflict, "err.no_nextstep", "id", p.ID())
	}
	p.NextStep.Shared = true
	return tx.putProject(p)
}

// AddNeed records a skill or help p seeks. Referents, facilitators and admins only.
func (tx *Tx) AddNeed(actor *Member, p *Project, text string) error {
	if err := requireManage(actor, p); err != nil {
		return err
	}
	text, err := checkText(text, MaxNameLen*2, "text")
	if err != nil {
		return err
	}
	p.Needs = append(p.Needs, Need{Text: text, At: tx.now})
	if err := tx.putProject(p); err != nil {
		return err
	}
	return tx.indexEntry(p.Community, SearchEntry{Kind: "need", Ref: p.ID(), Title: p.Title, Text: text})
}

// OfferHelp records actor's offer to help p; the caller tells p's referents.
// Offering again replaces the earlier offer's text.
func (tx *Tx) OfferHelp(actor *Member, p *Project, text string) error {
	text = strings.TrimSpace(text)
	if text != "" {
		var err error
		if text, err = checkText(text, MaxNameLen*2, "text"); err != nil {
			return err
		}
	}
	p.Offers = slices.DeleteFunc(p.Offers, func(o Offer) bool { return o.Person == actor.Person })
	p.Offers = append(p.Offers, Offer{Person: actor.Person, Text: text, At: tx.now})
	return tx.putProject(p)
}

// Contact returns p's tracking-sheet entry (nil if none). Facilitators and admins
// only (CodeForbidden).
func (tx *Tx) Contact(actor *Member, p *Project) (*Contact, error) {
	if !actor.Role.AtLeast(RoleFacilitator) {
		return nil, Errorf(CodeForbidden, "err.forbidden_role", "role", RoleFacilitator)
	}
	c := new(Contact)
	err := tx.getJSON(bucketContact, projectKey(p.Community, p.Num), c)
	if ok, err := found(err); err != nil || !ok {
		return nil, err
	}
	return c, nil
}

// ContactFields are the fields of a Contact that /contact sets; nil leaves a field.
type ContactFields struct {
	Email, Phone, Handle, When *string
}

// SetContact updates p's tracking-sheet entry. Facilitators and admins only. An
// email must look like one and a phone must hold 6 to 20 digits (CodeInvalid).
func (tx *Tx) SetContact(actor *Member, p *Project, f ContactFields) (*Contact, error) {
	c, err := tx.Contact(actor, p)
	if err != nil {
		return nil, err
	}
	if c == nil {
		c = &Contact{}
	}
	if f.Email != nil {
		e := strings.TrimSpace(*f.Email)
		if e != "" && (!strings.Contains(e, "@") || strings.ContainsAny(e, " \t<>") || len(e) > 254) {
			return nil, Errorf(CodeInvalid, "err.bad_email", "value", e)
		}
		c.Email = e
	}
	if f.Phone != nil {
		ph := strings.TrimSpace(*f.Phone)
		digits := 0
		for _, r := range ph {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case strings.ContainsRune("+ .-()", r):
			default:
				return nil, Errorf(CodeInvalid, "err.bad_phone", "value", ph)
			}
		}
		if ph != "" && (digits < 6 || digits > 20) {
			return nil, Errorf(CodeInvalid, "err.bad_phone", "value", ph)
		}
		c.Phone = ph
	}
	for _, kv := range []struct {
		src *string
		dst *string
	}{{f.Handle, &c.Handle}, {f.When, &c.When}} {
		if kv.src != nil {
			v := strings.TrimSpace(*kv.src)
			if v != "" {
				if v, err = checkText(v, MaxNameLen*2, "text"); err != nil {
					return nil, err
				}
			}
			*kv.dst = v
		}
	}
	c.Updated, c.By = tx.now, actor.Person
	return c, tx.putJSON(bucketContact, projectKey(p.Community, p.Num), c)
}

// replacePersonInProjects rewrites from as to in the referents, followers, likes and
// offers of community c's projects (used when two identities are linked).
func (tx *Tx) replacePersonInProjects(c CommunityID, from, to PersonID) error {
	ps, err := tx.Projects(c, nil)
	if err != nil {
		return err
	}
	for _, p := range ps {
		before := fmt.Sprint(p.Referents, p.Followers, p.Likes, p.Offers)
		p.Referents = replace(p.Referents, from, to)
		p.Followers = replace(p.Followers, from, to)
		p.Likes = replace(p.Likes, from, to)
		for i := range p.Offers {
			if p.Offers[i].Person == from {
				p.Offers[i].Person = to
			}
		}
		if fmt.Sprint(p.Referents, p.Followers, p.Likes, p.Offers) != before {
			if err := tx.putProject(p); err != nil {
				return err
			}
		}
	}
	return nil
}
