package bots

import (
	"strings"

	"github.com/engage-org/engage/core"
)

// idActions lists, for each command that names one thing by its ID (/project P1,
// /poll V1, /campaign C1, /meeting M1), the actions that may follow the ID, as
// English words (their French aliases count). The router refuses any other word
// after the ID with this list, before the command runs: "/meeting M1 delete" is
// never taken for "/meeting M1". A command that gains an action must list it here,
// and in its "actions.CMD" template.
var idActions = map[string][]string{
	"project":  {"stage"},
	"poll":     {"close", "nonvoters", "turnout"},
	"campaign": {"close", "collector", "backers", "hours"},
	"meeting":  {"move", "cancel", "yes", "maybe", "no", "here", "present", "attendees", "places", "minutes"},
}

// checkAction refuses a word after the ID that is not an action of c.cmd. typed is
// the command's name as typed (/reunion), for the answer.
func (c *turn) checkAction(typed string) error {
	actions, ok := idActions[c.cmd]
	if !ok {
		return nil
	}
	id, rest := cut(c.args)
	if !looksLikeID(id) {
		return nil
	}
	w, _ := cut(rest)
	if w == "" {
		return nil
	}
	lw := core.Fold(w)
	for _, a := range actions {
		if lw == a || c.b.means(lw, a) {
			return nil
		}
	}
	return core.Errorf(core.CodeInvalid, "err.unknown_action", "cmd", "/"+typed, "id", strings.ToUpper(id), "word", w,
		"actions", c.text("actions."+c.cmd, actionsText{Cmd: "/" + typed, ID: strings.ToUpper(id)}))
}

// looksLikeID reports whether w is shaped like a short ID: a letter and digits (P1, v12).
func looksLikeID(w string) bool {
	if len(w) < 2 || !(w[0] >= 'a' && w[0] <= 'z' || w[0] >= 'A' && w[0] <= 'Z') {
		return false
	}
	for _, r := range w[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// actionsText is what the texts actions.COMMAND show.
// They list the actions a command takes after an ID.
type actionsText struct{ Cmd, ID string }
