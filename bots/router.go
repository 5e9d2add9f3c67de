package bots

import (
	"strings"
	"unicode"

	"github.com/engage-org/engage/core"
)

// command is one entry of the chat language.
type command struct {
	run func(c *turn) error
	// community: the command needs a community in context (a community chat, or a
	// direct message from a member of one).
	community bool
}

// commands is the typed command table: English names; French aliases come from the
// prompts catalog.
func commands() map[string]*command {
	return map[string]*command{
		// Everyone
		"help":     {run: cmdHelp},
		"start":    {run: cmdStart},
		"lang":     {run: cmdLang},
		"me":       {run: cmdMe},
		"link":     {run: cmdLink},
		"forgetme": {run: cmdForgetMe},
		"find":     {run: cmdFind, community: true},
		// Community
		"community": {run: cmdCommunity},
		"role":      {run: cmdRole, community: true},
		"members":   {run: cmdMembers, community: true},
		// Projects
		"projects": {run: cmdProjects, community: true},
		"project":  {run: cmdProject, community: true},
		"referent": {run: cmdReferent, community: true},
		"follow":   {run: cmdFollow, community: true},
		"unfollow": {run: cmdUnfollow, community: true},
		"like":     {run: cmdLike, community: true},
		"news":     {run: cmdNews, community: true},
		"nextstep": {run: cmdNextStep, community: true},
		"needs":    {run: cmdNeeds, community: true},
		"offer":    {run: cmdOffer, community: true},
		"contact":  {run: cmdContact, community: true},
		// Polls
		"poll":  {run: cmdPoll, community: true},
		"polls": {run: cmdPolls, community: true},
		"vote":  {run: cmdVote, community: true},
		"proxy": {run: cmdProxy, community: true},
		// Campaigns
		"campaign":  {run: cmdCampaign, community: true},
		"campaigns": {run: cmdCampaigns, community: true},
		"reward":    {run: cmdReward, community: true},
		"stretch":   {run: cmdStretch, community: true},
		"pledge":    {run: cmdPledge, community: true},
		"collect":   {run: cmdCollect, community: true},
		"spend":     {run: cmdSpend, community: true},
		"refund":    {run: cmdRefund, community: true},
		"ledger":    {run: cmdLedger, community: true},
		"allocate":  {run: cmdAllocate, community: true},
		"schedule":  {run: cmdSchedule, community: true},
		// Campaign questions and answers
		"ask":    {run: cmdAsk, community: true},
		"answer": {run: cmdAnswer, community: true},
		"faq":    {run: cmdFAQ, community: true},
		// Facilitation
		"slot":      {run: cmdSlot, community: true},
		"backup":    {run: cmdBackup, community: true},
		"away":      {run: cmdAway, community: true},
		"checkin":   {run: cmdCheckin, community: true},
		"meeting":   {run: cmdMeeting, community: true},
		"digest":    {run: cmdDigest, community: true},
		"impact":    {run: cmdImpact, community: true},
		"dashboard": {run: cmdDashboard, community: true},
	}
}

// ParseCommand splits a typed command into its name (lowercase, without the slash
// and any @BotName suffix) and its arguments. ok is false when text is not a command.
func ParseCommand(text string) (name, args string, ok bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	word, rest := cut(text[1:])
	if at := strings.IndexByte(word, '@'); at >= 0 {
		word = word[:at]
	}
	if word == "" {
		return "", "", false
	}
	return strings.ToLower(word), rest, true
}

// cut splits s at its first run of white space: the first word and the rest, trimmed.
func cut(s string) (word, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// lookup returns the command named name or one of its aliases.
func (b *Bot) lookup(name string) (string, *command) {
	if cmd, ok := b.cmds[name]; ok {
		return name, cmd
	}
	if alias, ok := b.aliases[core.Fold(name)]; ok {
		if cmd, ok := b.cmds[alias]; ok {
			return alias, cmd
		}
	}
	if alias, ok := b.aliases[name]; ok {
		if cmd, ok := b.cmds[alias]; ok {
			return alias, cmd
		}
	}
	return "", nil
}

// command runs a typed (or button) command.
func (c *turn) command(text string) error {
	if err := core.CheckChars(strings.ReplaceAll(text, "\r\n", "\n"), true); err != nil { // nothing of it is echoed back
		return err
	}
	name, args, ok := ParseCommand(text)
	if !ok {
		return core.Errorf(core.CodeInvalid, "err.unknown_command", "name", text)
	}
	full, cmd := c.b.lookup(name)
	if cmd == nil {
		return core.Errorf(core.CodeInvalid, "err.unknown_command", "name", "/"+name)
	}
	if cmd.community {
		if err := c.needCommunity(); err != nil {
			return err
		}
	}
	c.cmd, c.args = full, args
	if err := c.checkAction(name); err != nil {
		return err
	}
	if privateCommands[full] {
		c.lang = c.own // answered to the actor alone (lang.go)
	}
	return c.dateRefusal(cmd.run(c), text)
}

// word returns the next word of the arguments and consumes it.
func (c *turn) word() string {
	w, rest := cut(c.args)
	c.args = rest
	return w
}

// sub reports whether the next word is one of names (an English subcommand or its
// French alias) and consumes it if so.
func (c *turn) sub(names ...string) bool {
	w, rest := cut(c.args)
	lw := core.Fold(w)
	for _, n := range names {
		if lw == n || c.b.means(lw, n) {
			c.args = rest
			return true
		}
	}
	return false
}

// alias returns what the folded word w means inside a command: its word alias,
// else its alias, else "".
func (b *Bot) alias(w string) string {
	if a, ok := b.words[w]; ok {
		return a
	}
	return b.aliases[w]
}

// means reports whether the folded word w stands for the English word n inside a
// command, as its word alias or as its alias: « oui » is both « confirm » (/forgetme
// oui) and « yes » (/reunion M1 oui).
func (b *Bot) means(w, n string) bool {
	return b.words[w] == n || b.aliases[w] == n
}

// usage is the refusal for a command typed wrong: it shows the command's help.
func (c *turn) usage() error {
	return core.Errorf(core.CodeInvalid, "err.usage", "cmd", c.cmd, "help", c.text("help."+c.cmd, nil))
}
