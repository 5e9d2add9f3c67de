package core

import (
	"slices"
	"strings"
	"time"
)

// PersonID identifies a person across platforms and communities ("u1", "u2"…).
type PersonID string

// Identity is one platform account of a person.
type Identity struct {
	Platform string    `json:"platform"`
	UserID   string    `json:"user_id"`
	Handle   string    `json:"handle,omitempty"` // @name on the platform, without the @
	Name     string    `json:"name,omitempty"`   // display name on the platform
	LastSeen time.Time `json:"last_seen"`
}

// Person is one human, with every platform identity they linked. Language is their
// chosen template language ("" follows the community's).
type Person struct {
	ID          PersonID      `json:"id"`
	Name        string        `json:"name"`
	Lang        string        `json:"lang,omitempty"`
	Identities  []Identity    `json:"identities"`
	Communities []CommunityID `json:"communities,omitempty"`
	Created     time.Time     `json:"created"`
	// MergedInto is set when this person linked into another: lookups follow it.
	MergedInto PersonID `json:"merged_into,omitempty"`
}

// Identity returns the person's identity on platform, most recently seen first.
func (p *Person) Identity(platform string) (Identity, bool) {
	var best Identity
	ok := false
	for _, id := range p.Identities {
		if id.Platform == platform && (!ok || id.LastSeen.After(best.LastSeen)) {
			best, ok = id, true
		}
	}
	return best, ok
}

// Latest returns the identity the person used last: the one direct messages go to.
func (p *Person) Latest() (Identity, bool) {
	var best Identity
	ok := false
	for _, id := range p.Identities {
		if !ok || id.LastSeen.After(best.LastSeen) {
			best, ok = id, true
		}
	}
	return best, ok
}

// Role is a member's role in a community. Roles are ordered: an admin may do what a
// facilitator may, a facilitator what a referent may, and so on.
type Role string

// The roles, from least to most rights.
const (
	RoleMember      Role = "member"
	RoleReferent    Role = "referent"
	RoleFacilitator Role = "facilitator"
	RoleAdmin       Role = "admin"
)

// Roles lists the roles from least to most rights.
var Roles = []Role{RoleMember, RoleReferent, RoleFacilitator, RoleAdmin}

// ParseRole returns the role named s (English or French name).
func ParseRole(s string) (Role, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "member", "membre":
		return RoleMember, true
	case "referent", "référent", "referente", "référente", "porteur", "porteuse":
		return RoleReferent, true
	case "facilitator", "animateur", "animatrice":
		return RoleFacilitator, true
	case "admin", "administrateur", "administratrice":
		return RoleAdmin, true
	}
	return "", false
}

// AtLeast reports whether r has at least the rights of min.
func (r Role) AtLeast(min Role) bool {
	return slices.Index(Roles, r) >= slices.Index(Roles, min)
}

// Member is a person's membership of a community.
type Member struct {
	Community  CommunityID `json:"community"`
	Person     PersonID    `json:"person"`
	Role       Role        `json:"role"`
	Joined     time.Time   `json:"joined"`
	LastActive time.Time   `json:"last_active"`
}

// ResolveIdentity returns the person behind a platform account, creating them on
// first contact, and records the account's current name and handle.
func (tx *Tx) ResolveIdentity(platform, userID, name, handle string) (*Person, error) {
	if userID == "" {
		return nil, Errorf(CodeInvalid, "err.no_user")
	}
	name, handle = SafeName(name), SafeName(handle)
	raw, err := tx.kv.Get(bucketIdent, key(platform, userID))
	ok, err := found(err)
	if err != nil {
		return nil, err
	}
	var p *Person
	if ok {
		if p, err = tx.Person(PersonID(raw)); err != nil {
			return nil, err
		}
	} else {
		n, err := tx.next("person")
		if err != nil {
			return nil, err
		}
		p = &Person{ID: PersonID("u" + itoa(n)), Name: name, Created: tx.now}
		if err := tx.kv.Put(bucketIdent, key(platform, userID), []byte(p.ID)); err != nil {
			return nil, err
		}
	}
	handle = strings.TrimPrefix(handle, "@")
	i := slices.IndexFunc(p.Identities, func(id Identity) bool { return id.Platform == platform && id.UserID == userID })
	if i < 0 {
		p.Identities = append(p.Identities, Identity{Platform: platform, UserID: userID})
		i = len(p.Identities) - 1
	}
	id := &p.Identities[i]
	changed := id.Name != name || id.Handle != handle || tx.now.Sub(id.LastSeen) > time.Minute || !ok
	id.Name, id.Handle, id.LastSeen = name, handle, tx.now
	if p.Name == "" {
		p.Name, changed = name, true
	}
	if changed {
		if err := tx.putPerson(p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Person returns the person with id, following links. Returns CodeNotFound.
func (tx *Tx) Person(id PersonID) (*Person, error) {
	for range 8 { // merged persons form short chains; bound the walk
		p := new(Person)
		err := tx.getJSON(bucketPerson, string(id), p)
		if ok, err := found(err); err != nil {
			return nil, err
		} else if !ok {
			return nil, Errorf(CodeNotFound, "err.no_member")
		}
		if p.MergedInto == "" {
			return p, nil
		}
		id = p.MergedInto
	}
	return nil, Internal("person", Errorf(CodeInternal, "link chain too long"))
}

func (tx *Tx) putPerson(p *Person) error { return tx.putJSON(bucketPerson, string(p.ID), p) }

// SetLang sets the person's language. Returns CodeInvalid for an unknown language.
func (tx *Tx) SetLang(p *Person, lang string) error {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if !ValidLang(lang) {
		return Errorf(CodeInvalid, "err.bad_lang", "lang", lang)
	}
	p.Lang = lang
	return tx.putPerson(p)
}

// Memberships returns p's memberships, in the order of p.Communities, skipping a
// community whose membership is gone.
func (tx *Tx) Memberships(p *Person) ([]*Member, error) {
	var out []*Member
	for _, cid := range p.Communities {
		m, err := tx.Member(cid, p.ID)
		if ErrorCode(err) == CodeNotFound {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// LatestMembership returns p's most recently active membership, nil for none: the
// community a direct message is about.
func (tx *Tx) LatestMembership(p *Person) (*Member, error) {
	ms, err := tx.Memberships(p)
	if err != nil {
		return nil, err
	}
	var best *Member
	for _, m := range ms {
		if best == nil || m.LastActive.After(best.LastActive) {
			best = m
		}
	}
	return best, nil
}

// Member returns person's membership of community c. Returns CodeNotFound.
func (tx *Tx) Member(c CommunityID, person PersonID) (*Member, error) {
	m := new(Member)
	err := tx.getJSON(bucketMember, key(string(c), string(person)), m)
	if ok, err := found(err); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(CodeNotFound, "err.no_member")
	}
	return m, nil
}

// Members returns the members of community c.
func (tx *Tx) Members(c CommunityID) ([]*Member, error) {
	var out []*Member
	err := scanJSON(tx, bucketMember, string(c)+"/", false, func(_ string, m *Member) error {
		out = append(out, m)
		return nil
	})
	return out, err
}

// CountMembers returns the number of members of community c, without reading
// their records (a page that shows the count alone).
func (tx *Tx) CountMembers(c CommunityID) (int, error) {
	n := 0
	err := tx.kv.Scan(bucketMember, string(c)+"/", false, func(string, []byte) error {
		n++
		return nil
	})
	return n, err
}

func (tx *Tx) putMember(m *Member) error {
	return tx.putJSON(bucketMember, key(string(m.Community), string(m.Person)), m)
}

// Touch makes person a member of community c if they are not one yet (anyone who
// writes in a community chat or presses one of its buttons is a member from then on)
// and records the activity.
func (tx *Tx) Touch(c CommunityID, person PersonID) (*Member, error) {
	return tx.touch(c, person, nil)
}

// TouchPerson is Touch for a person the caller just read in this transaction: p
// is updated in place when they join, saving a second read.
func (tx *Tx) TouchPerson(c CommunityID, p *Person) (*Member, error) {
	return tx.touch(c, p.ID, p)
}

func (tx *Tx) touch(c CommunityID, person PersonID, p *Person) (*Member, error) {
	m, err := tx.Member(c, person)
	if ErrorCode(err) == CodeNotFound {
		return tx.joinPerson(c, person, p, RoleMember)
	}
	if err != nil {
		return nil, err
	}
	if tx.now.Sub(m.LastActive) > time.Minute {
		m.LastActive = tx.now
		if err := tx.putMember(m); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// join adds a membership with role and records it on the person.
func (tx *Tx) join(c CommunityID, person PersonID, role Role) (*Member, error) {
	return tx.joinPerson(c, person, nil, role)
}

// joinPerson is join with the person's record when the caller has it (nil: read).
func (tx *Tx) joinPerson(c CommunityID, person PersonID, p *Person, role Role) (*Member, error) {
	m := &Member{Community: c, Person: person, Role: role, Joined: tx.now, LastActive: tx.now}
	if err := tx.putMember(m); err != nil {
		return nil, err
	}
	if p == nil {
		var err error
		if p, err = tx.Person(person); err != nil {
			return nil, err
		}
	}
	if !slices.Contains(p.Communities, c) {
		p.Communities = append(p.Communities, c)
		if err := tx.putPerson(p); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// SetRole gives target the role in actor's community. Admins only (CodeForbidden);
// the last admin cannot step down (CodeConflict).
func (tx *Tx) SetRole(actor *Member, target PersonID, role Role) (*Member, error) {
	if !actor.Role.AtLeast(RoleAdmin) {
		return nil, Errorf(CodeForbidden, "err.forbidden_role", "role", RoleAdmin)
	}
	m, err := tx.Member(actor.Community, target)
	if err != nil {
		return nil, err
	}
	if m.Role == RoleAdmin && role != RoleAdmin {
		ms, err := tx.Members(actor.Community)
		if err != nil {
			return nil, err
		}
		admins := 0
		for _, x := range ms {
			if x.Role == RoleAdmin {
				admins++
			}
		}
		if admins <= 1 {
			return nil, Errorf(CodeConflict, "err.last_admin")
		}
	}
	m.Role = role
	return m, tx.putMember(m)
}

// FindMember looks up a member of community c by a mention: a platform user ID the
// adapter resolved, an @handle, or a display name (case-insensitive). Returns
// CodeNotFound ("err.unknown_member").
func (tx *Tx) FindMember(c CommunityID, platform, userID, mention string) (*Member, *Person, error) {
	if userID != "" {
		raw, err := tx.kv.Get(bucketIdent, key(platform, userID))
		if ok, err := found(err); err != nil {
			return nil, nil, err
		} else if ok {
			p, err := tx.Person(PersonID(raw))
			if err != nil {
				return nil, nil, err
			}
			m, err := tx.Member(c, p.ID)
			if err == nil {
				return m, p, nil
			}
		}
	}
	name := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(mention), "@"))
	ms, err := tx.Members(c)
	if err != nil {
		return nil, nil, err
	}
	var hit *Member
	var hitP *Person
	for _, m := range ms {
		p, err := tx.Person(m.Person)
		if err != nil {
			continue
		}
		match := strings.ToLower(p.Name) == name
		for _, id := range p.Identities {
			if strings.ToLower(id.Handle) == name || (id.Platform == platform && strings.ToLower(id.Name) == name) {
				match = true
			}
		}
		if match && name != "" {
			if hit != nil && hit.Person != m.Person {
				return nil, nil, Errorf(CodeInvalid, "err.ambiguous_member", "name", mention)
			}
			hit, hitP = m, p
		}
	}
	if hit == nil {
		return nil, nil, Errorf(CodeNotFound, "err.unknown_member", "name", mention)
	}
	return hit, hitP, nil
}

// ActiveWindow is how recently a member must have acted to count as active.
const ActiveWindow = 30 * 24 * time.Hour

// MemberStats are a community's membership figures.
type MemberStats struct {
	Total  int          `json:"total"`
	Active int          `json:"active"` // acted within ActiveWindow
	ByRole map[Role]int `json:"by_role"`
}

// MemberStats counts actor's community's members by role and activity.
// Facilitators and admins only (CodeForbidden).
func (tx *Tx) MemberStats(actor *Member) (*MemberStats, error) {
	if !actor.Role.AtLeast(RoleFacilitator) {
		return nil, Errorf(CodeForbidden, "err.forbidden_role", "role", RoleFacilitator)
	}
	ms, err := tx.Members(actor.Community)
	if err != nil {
		return nil, err
	}
	st := &MemberStats{ByRole: map[Role]int{}}
	for _, m := range ms {
		st.Total++
		st.ByRole[m.Role]++
		if tx.now.Sub(m.LastActive) <= ActiveWindow {
			st.Active++
		}
	}
	return st, nil
}
