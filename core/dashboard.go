package core

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// A facilitators' dashboard link opens, for DashboardLife, a private page of a
// community (the web package serves it): unanswered check-ins, overdue next steps,
// what backers still owe, polls' turnout. The link carries its community, its
// expiry and the community's dashboard generation, signed with HMAC-SHA256 under
// the engine's dashboard secret, which is configuration and never in the store:
// nobody can make or alter a link without it. RevokeDashboardLinks bumps the
// generation, so every link given before stops working.

// DashboardLife is how long a dashboard link works.
const DashboardLife = 24 * time.Hour

// minDashboardSecret is the shortest dashboard secret accepted, in bytes.
const minDashboardSecret = 16

// dashboardTokenVersion starts every token; a new format gets a new one.
const dashboardTokenVersion = "d1"

// SetDashboardSecret gives the engine the secret that signs dashboard links. It
// must be set before the engine is used and be the same on every instance;
// changing it ends every link given under the old one. Returns CodeInvalid when
// the secret is shorter than 16 bytes.
func (e *Engine) SetDashboardSecret(secret string) error {
	if len(secret) < minDashboardSecret {
		return Errorf(CodeInvalid, "err.dashboard_secret", "min", minDashboardSecret)
	}
	e.dashKey = []byte(secret)
	return nil
}

// DashboardConfigured reports whether the engine can sign dashboard links.
func (tx *Tx) DashboardConfigured() bool { return tx.dashKey != nil }

// DashboardLink returns a signed token opening community c's dashboard until it
// expires, DashboardLife from now. Facilitators and admins only (CodeForbidden);
// CodeConflict ("err.dashboard_off") without a dashboard secret.
func (tx *Tx) DashboardLink(actor *Member) (token string, expires time.Time, err error) {
	if err := requireFacilitator(actor); err != nil {
		return "", time.Time{}, err
	}
	if tx.dashKey == nil {
		return "", time.Time{}, Errorf(CodeConflict, "err.dashboard_off")
	}
	f, err := tx.Facilitation(actor.Community)
	if err != nil {
		return "", time.Time{}, err
	}
	expires = tx.now.Add(DashboardLife).Truncate(time.Second)
	return signDashboard(tx.dashKey, actor.Community, f.DashboardGen, expires), expires, nil
}

// RevokeDashboardLinks ends every dashboard link of actor's community given so far.
// Facilitators and admins only (CodeForbidden).
func (tx *Tx) RevokeDashboardLinks(actor *Member) error {
	if err := requireFacilitator(actor); err != nil {
		return err
	}
	f, err := tx.Facilitation(actor.Community)
	if err != nil {
		return err
	}
	f.DashboardGen++
	return tx.putFacilitation(f)
}

// OpenDashboard checks a dashboard token and returns its community and when it
// expires. A token that was forged, altered, has expired or was revoked, or whose
// community is gone, is CodeNotFound ("err.dashboard_link"), and so is every token
// when no dashboard secret is configured: the page then shows nothing.
func (tx *Tx) OpenDashboard(token string) (*Community, time.Time, error) {
	refuse := Errorf(CodeNotFound, "err.dashboard_link")
	if tx.dashKey == nil || len(token) > 512 {
		return nil, time.Time{}, refuse
	}
	c, gen, exp, ok := parseDashboard(tx.dashKey, token)
	if !ok || !tx.now.Before(exp) || exp.Sub(tx.now) > DashboardLife {
		return nil, time.Time{}, refuse
	}
	f, err := tx.Facilitation(c)
	if err != nil {
		return nil, time.Time{}, err
	}
	if f.DashboardGen != gen {
		return nil, time.Time{}, refuse
	}
	comm, err := tx.Community(c)
	if ErrorCode(err) == CodeNotFound {
		return nil, time.Time{}, refuse
	}
	if err != nil {
		return nil, time.Time{}, err
	}
	return comm, exp, nil
}

var b64 = base64.RawURLEncoding

// signDashboard writes "d1.COMMUNITY.GEN.EXPIRY.MAC": the community in base64url,
// the generation and the expiry (Unix seconds) in decimal, and the HMAC-SHA256 of
// all that before it, in base64url. Every character is safe in a URL path.
func signDashboard(key []byte, c CommunityID, gen int, exp time.Time) string {
	body := dashboardTokenVersion + "." + b64.EncodeToString([]byte(c)) + "." + strconv.Itoa(gen) + "." + strconv.FormatInt(exp.Unix(), 10)
	return body + "." + b64.EncodeToString(dashboardMAC(key, body))
}

func dashboardMAC(key []byte, body string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("engage dashboard link\x00"))
	mac.Write([]byte(body))
	return mac.Sum(nil)
}

// parseDashboard checks token's signature and reads it; ok is false for anything
// not signed under key.
func parseDashboard(key []byte, token string) (c CommunityID, gen int, exp time.Time, ok bool) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return "", 0, time.Time{}, false
	}
	body, sig := token[:i], token[i+1:]
	got, err := b64.DecodeString(sig)
	if err != nil || !hmac.Equal(got, dashboardMAC(key, body)) {
		return "", 0, time.Time{}, false
	}
	parts := strings.Split(body, ".")
	if len(parts) != 4 || parts[0] != dashboardTokenVersion {
		return "", 0, time.Time{}, false
	}
	raw, err := b64.DecodeString(parts[1])
	if err != nil || len(raw) == 0 {
		return "", 0, time.Time{}, false
	}
	gen, err = strconv.Atoi(parts[2])
	if err != nil || gen < 0 {
		return "", 0, time.Time{}, false
	}
	unix, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil {
		return "", 0, time.Time{}, false
	}
	return CommunityID(raw), gen, time.Unix(unix, 0), true
}
