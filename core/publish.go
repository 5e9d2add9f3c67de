package core

import (
	"regexp"
	"strconv"
	"strings"
)

// MaxSlugLen is the longest slug of a community's public pages.
const MaxSlugLen = 40

var slugRe = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`)

// ValidSlug reports whether s may name a community's public pages: lowercase
// letters, digits and dashes, neither first nor last, at most MaxSlugLen.
func ValidSlug(s string) bool {
	return len(s) <= MaxSlugLen && slugRe.MatchString(s) && !strings.Contains(s, "--")
}

// SlugOf derives a slug from a community's name: accents stripped, lowercase,
// every run of other characters a dash ("Jardin d'Été" → "jardin-d-ete"); "" when
// nothing is left.
func SlugOf(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range fold(name) {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			dash = true
			continue
		}
		sep := dash && b.Len() > 0
		n := 1
		if sep {
			n = 2
		}
		if b.Len()+n > MaxSlugLen { // only ASCII is written: bytes are characters
			break
		}
		if sep {
			b.WriteByte('-')
		}
		dash = false
		b.WriteRune(r)
	}
	return strings.Trim(b.String(), "-")
}

// Publish opens (on) or closes the community's public pages. slug names them; ""
// keeps the slug the community had, or derives one from its name (with a number
// added when another community holds it). Admins only (CodeForbidden). Returns
// CodeInvalid for a malformed slug and CodeConflict for one another community
// holds. A slug once taken stays the community's, so a link never moves to
// another community.
func (tx *Tx) Publish(actor *Member, on bool, slug string) (*Community, error) {
	if !actor.Role.AtLeast(RoleAdmin) {
		return nil, Errorf(CodeForbidden, "err.forbidden_role", "role", RoleAdmin)
	}
	c, err := tx.Community(actor.Community)
	if err != nil {
		return nil, err
	}
	if !on {
		if c.Published {
			c.Published = false
			return c, tx.putCommunity(c)
		}
		return c, nil
	}
	if slug != "" {
		if !ValidSlug(slug) {
			return nil, Errorf(CodeInvalid, "err.bad_slug", "slug", slug, "max", MaxSlugLen)
		}
		owner, err := tx.slugOwner(slug)
		if err != nil {
			return nil, err
		}
		if owner != "" && owner != c.ID {
			return nil, Errorf(CodeConflict, "err.slug_taken", "slug", slug)
		}
	} else if c.Slug != "" {
		slug = c.Slug
	} else {
		if slug, err = tx.freeSlug(c); err != nil {
			return nil, err
		}
	}
	if err := tx.kv.Put(bucketSlug, slug, []byte(c.ID)); err != nil {
		return nil, err
	}
	c.Slug, c.Published = slug, true
	return c, tx.putCommunity(c)
}

// slugOwner returns the community holding slug, or "".
func (tx *Tx) slugOwner(slug string) (CommunityID, error) {
	raw, err := tx.kv.Get(bucketSlug, slug)
	if ok, err := found(err); err != nil {
		return "", err
	} else if !ok {
		return "", nil
	}
	return CommunityID(raw), nil
}

// freeSlug derives a slug from c's name (or its ID) that no other community holds.
func (tx *Tx) freeSlug(c *Community) (string, error) {
	base := SlugOf(c.Name)
	if base == "" {
		base = "community-" + strings.TrimPrefix(string(c.ID), "c")
	}
	if len(base) > MaxSlugLen-4 {
		base = strings.TrimRight(base[:MaxSlugLen-4], "-")
	}
	for i := 1; ; i++ {
		s := base
		if i > 1 {
			s = base + "-" + strconv.Itoa(i)
		}
		owner, err := tx.slugOwner(s)
		if err != nil {
			return "", err
		}
		if owner == "" || owner == c.ID {
			return s, nil
		}
	}
}

// PublishedCommunity returns the community whose public pages slug names. An
// unknown slug and an unpublished community both return CodeNotFound
// ("err.no_community"): a page cannot tell them apart.
func (tx *Tx) PublishedCommunity(slug string) (*Community, error) {
	notFound := Errorf(CodeNotFound, "err.no_community")
	if !ValidSlug(slug) {
		return nil, notFound
	}
	id, err := tx.slugOwner(slug)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, notFound
	}
	c, err := tx.Community(id)
	if err != nil {
		return nil, err
	}
	if !c.Published || c.Slug != slug {
		return nil, notFound
	}
	return c, nil
}
