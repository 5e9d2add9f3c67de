package discord

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"
	"github.com/engage-org/engage/bots"
)

// The chat language as Discord application commands. Each slash command, with its
// typed options, becomes the line a person would type (bots reads that): /project
// new title:Garden description:Beds for all is "/project new Garden — Beds for
// all". /engage command:… takes any line as typed.
//
// Names and descriptions come from the Texts given in Config (keys discord.*, see
// prompts/templates/*/discord.tmpl): English is the default, French and en-US the
// localisations.

type optKind uint8

const (
	optString optKind = iota // free text
	optID                    // an ID, completed as typed (suggest names what)
	optUser                  // a member of the server
	optChoice                // one of choices
	optInt                   // a whole number
	optBool                  // yes or no
)

// optSpec is one option of a slash command.
type optSpec struct {
	name     string
	kind     optKind
	suggest  string // bots.Suggest* for optID
	required bool
	choices  []choiceSpec
	key      string // description key; default discord.opt.NAME
	max      int    // longest value; 0: Discord's own limit
}

// choiceSpec is one choice of an optChoice option: its value and the key of its label.
type choiceSpec struct{ value, key string }

// cmdSpec is a slash command (or a subcommand) and how it becomes a typed line.
type cmdSpec struct {
	name string
	opts []optSpec
	subs []cmdSpec
	line func(v values) string
}

// values are an invocation's option values, as text, by option name.
type values map[string]string

// join makes a command line of the parts that are not empty.
func join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// kw is "word value", or nothing when value is empty.
func kw(word, value string) string {
	if value == "" {
		return ""
	}
	return word + " " + value
}

// field is key=value for /contact, quoted when the value holds a space.
func field(key, value string) string {
	if value == "" {
		return ""
	}
	value = strings.NewReplacer(`"`, "", "“", "", "”", "").Replace(value)
	if strings.ContainsAny(value, " \t") {
		value = `"` + value + `"`
	}
	return key + "=" + value
}

var (
	optProject  = optSpec{name: "id", kind: optID, suggest: bots.SuggestProject, required: true, key: "discord.opt.project"}
	optPoll     = optSpec{name: "id", kind: optID, suggest: bots.SuggestPoll, required: true, key: "discord.opt.poll"}
	optCampaign = optSpec{name: "id", kind: optID, suggest: bots.SuggestCampaign, required: true, key: "discord.opt.campaign"}
	methods     = choices("method", "single", "approval", "irv", "schulze", "borda", "score", "dot", "judgment", "date", "contest")
	kinds       = choices("kind", "donation", "reward", "loan", "equity")
	days        = choices("day", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
	stages      = []choiceSpec{{"idea", "stage.idea"}, {"support", "stage.support"}, {"accompaniment", "stage.accompaniment"},
		{"fundraising", "stage.fundraising"}, {"funded", "stage.funded"}, {"running", "stage.running"}, {"done", "stage.done"}}
	roles = []choiceSpec{{"member", "role.member"}, {"referent", "role.referent"}, {"facilitator", "role.facilitator"}, {"admin", "role.admin"}}
	langs = []choiceSpec{{"fr", "discord.lang.fr"}, {"en", "discord.lang.en"}}
)

func opt(name string, required bool) optSpec { return optSpec{name: name, required: required} }

// choices are values whose labels are the keys discord.GROUP.VALUE.
func choices(group string, values ...string) []choiceSpec {
	out := make([]choiceSpec, len(values))
	for i, v := range values {
		out[i] = choiceSpec{v, "discord." + group + "." + v}
	}
	return out
}

// yes is word when an optBool option is true.
func yes(word, v string) string {
	if v == "true" {
		return word
	}
	return ""
}

// byID is a command taking a campaign or poll ID only.
func byID(name string, id optSpec) cmdSpec {
	return cmdSpec{name: name, opts: []optSpec{id}, line: func(v values) string { return join("/"+name, v["id"]) }}
}

func idOnly(name string) cmdSpec {
	return cmdSpec{name: name, opts: []optSpec{optProject}, line: func(v values) string { return join("/"+name, v["id"]) }}
}

// slashCommands is the command table of the chat language on Discord.
func slashCommands() []cmdSpec {
	return []cmdSpec{
		{name: "engage", opts: []optSpec{{name: "command", required: true, max: bots.MaxInput, key: "discord.engage.command"}}, line: func(v values) string {
			line := v["command"]
			if !strings.HasPrefix(line, "/") {
				line = "/" + line
			}
			return line
		}},
		// Everyone
		{name: "help", opts: []optSpec{opt("command", false)}, line: func(v values) string {
			return join("/help", strings.TrimPrefix(v["command"], "/"))
		}},
		{name: "lang", opts: []optSpec{{name: "lang", kind: optChoice, required: true, choices: langs}}, line: func(v values) string { return join("/lang", v["lang"]) }},
		{name: "me", line: func(values) string { return "/me" }},
		{name: "link", opts: []optSpec{opt("code", false)}, line: func(v values) string { return join("/link", v["code"]) }},
		{name: "forgetme", line: func(values) string { return "/forgetme" }},
		{name: "find", opts: []optSpec{opt("words", true)}, line: func(v values) string { return join("/find", v["words"]) }},
		// Community
		{name: "community", subs: []cmdSpec{
			{name: "show", line: func(values) string { return "/community" }},
			{name: "create", opts: []optSpec{opt("name", true), opt("tz", false), {name: "lang", kind: optChoice, choices: langs}},
				line: func(v values) string {
					return join("/community create", v["name"], kw("tz", v["tz"]), kw("lang", v["lang"]))
				}},
			{name: "invite", line: func(values) string { return "/community invite" }},
			{name: "join", opts: []optSpec{opt("code", true)}, line: func(v values) string { return join("/community join", v["code"]) }},
		}},
		{name: "role", opts: []optSpec{{name: "member", kind: optUser, required: true}, {name: "role", kind: optChoice, required: true, choices: roles}},
			line: func(v values) string { return join("/role", v["member"], v["role"]) }},
		{name: "members", line: func(values) string { return "/members" }},
		// Projects
		{name: "projects", opts: []optSpec{{name: "stage", kind: optChoice, choices: stages}}, line: func(v values) string { return join("/projects", v["stage"]) }},
		{name: "project", subs: []cmdSpec{
			{name: "show", opts: []optSpec{optProject}, line: func(v values) string { return join("/project", v["id"]) }},
			{name: "new", opts: []optSpec{opt("title", true), opt("description", false)}, line: func(v values) string {
				if v["description"] == "" {
					return join("/project new", v["title"])
				}
				return join("/project new", v["title"], "—", v["description"])
			}},
			{name: "stage", opts: []optSpec{optProject, {name: "stage", kind: optChoice, required: true, choices: stages}},
				line: func(v values) string { return join("/project", v["id"], "stage", v["stage"]) }},
		}},
		{name: "referent", opts: []optSpec{optProject, {name: "member", kind: optUser, required: true}},
			line: func(v values) string { return join("/referent", v["id"], v["member"]) }},
		idOnly("follow"),
		idOnly("unfollow"),
		idOnly("like"),
		{name: "news", opts: []optSpec{optProject, opt("text", false)}, line: func(v values) string { return join("/news", v["id"], v["text"]) }},
		{name: "nextstep", opts: []optSpec{optProject, opt("text", false), opt("by", false)},
			line: func(v values) string { return join("/nextstep", v["id"], v["text"], kw("by", v["by"])) }},
		{name: "needs", opts: []optSpec{optProject, opt("text", true)}, line: func(v values) string { return join("/needs", v["id"], v["text"]) }},
		{name: "offer", opts: []optSpec{optProject, opt("text", false)}, line: func(v values) string { return join("/offer", v["id"], v["text"]) }},
		{name: "contact", opts: []optSpec{optProject, opt("email", false), opt("phone", false), opt("handle", false), opt("when", false)},
			line: func(v values) string {
				return join("/contact", v["id"], field("email", v["email"]), field("phone", v["phone"]), field("handle", v["handle"]), field("when", v["when"]))
			}},
		// Polls
		{name: "poll", subs: []cmdSpec{
			{name: "show", opts: []optSpec{optPoll}, line: func(v values) string { return join("/poll", v["id"]) }},
			{name: "new", opts: []optSpec{{name: "method", kind: optChoice, required: true, choices: methods}, opt("question", true), opt("options", true), opt("settings", false)},
				line: func(v values) string {
					return join("/poll new", v["method"], v["question"], "|", v["options"], v["settings"])
				}},
			{name: "close", opts: []optSpec{optPoll}, line: func(v values) string { return join("/poll", v["id"], "close") }},
			{name: "turnout", opts: []optSpec{optPoll}, line: func(v values) string { return join("/poll", v["id"], "turnout") }},
			{name: "nonvoters", opts: []optSpec{optPoll}, line: func(v values) string { return join("/poll", v["id"], "nonvoters") }},
		}},
		{name: "polls", line: func(values) string { return "/polls" }},
		{name: "vote", opts: []optSpec{optPoll, opt("choice", false), {name: "for", kind: optUser}}, line: func(v values) string {
			if v["for"] != "" && v["choice"] != "" {
				return join("/vote", v["id"], v["choice"], "for", v["for"])
			}
			return join("/vote", v["id"], v["choice"])
		}},
		{name: "proxy", subs: []cmdSpec{
			{name: "give", opts: []optSpec{opt("meeting", true), {name: "member", kind: optUser, required: true}},
				line: func(v values) string { return join("/proxy", v["meeting"], v["member"]) }},
			{name: "withdraw", opts: []optSpec{opt("meeting", true)}, line: func(v values) string { return join("/proxy", v["meeting"], "cancel") }},
			{name: "show", opts: []optSpec{opt("meeting", true)}, line: func(v values) string { return join("/proxy", v["meeting"]) }},
		}},
		// Campaigns
		{name: "campaign", subs: []cmdSpec{
			{name: "show", opts: []optSpec{optCampaign}, line: func(v values) string { return join("/campaign", v["id"]) }},
			{name: "new", opts: []optSpec{{name: "kind", kind: optChoice, required: true, choices: kinds}, opt("title", true), opt("goal", true), opt("until", true), opt("settings", false)},
				line: func(v values) string {
					return join("/campaign new", v["kind"], v["title"], kw("goal", v["goal"]), kw("until", v["until"]), v["settings"])
				}},
			{name: "close", opts: []optSpec{optCampaign}, line: func(v values) string { return join("/campaign", v["id"], "close") }},
			{name: "backers", opts: []optSpec{optCampaign}, line: func(v values) string { return join("/campaign", v["id"], "backers") }},
			{name: "collector", opts: []optSpec{optCampaign, {name: "member", kind: optUser, required: true}, {name: "remove", kind: optBool}},
				line: func(v values) string {
					return join("/campaign", v["id"], "collector", v["member"], yes("remove", v["remove"]))
				}},
			{name: "hours", opts: []optSpec{optCampaign, {name: "member", kind: optUser, required: true}, {name: "hours", kind: optInt, required: true}},
				line: func(v values) string { return join("/campaign", v["id"], "hours", v["member"], v["hours"]) }},
		}},
		{name: "campaigns", line: func(values) string { return "/campaigns" }},
		{name: "reward", opts: []optSpec{optCampaign, opt("amount", true), opt("title", true), {name: "limit", kind: optInt}},
			line: func(v values) string {
				return join("/reward", v["id"], v["amount"], v["title"], kw("limit", v["limit"]))
			}},
		{name: "stretch", opts: []optSpec{optCampaign, opt("amount", true), opt("title", true)},
			line: func(v values) string { return join("/stretch", v["id"], v["amount"], v["title"]) }},
		{name: "pledge", opts: []optSpec{optCampaign, opt("amount", false), opt("reward", false), {name: "hours", kind: optInt}, {name: "public", kind: optBool}},
			line: func(v values) string {
				return join("/pledge", v["id"], v["amount"], kw("reward", v["reward"]), kw("hours", v["hours"]), yes("public", v["public"]))
			}},
		{name: "collect", opts: []optSpec{optCampaign, opt("amount", true), opt("from", false)},
			line: func(v values) string { return join("/collect", v["id"], v["amount"], kw("from", v["from"])) }},
		{name: "spend", opts: []optSpec{optCampaign, opt("amount", true), opt("purpose", true)},
			line: func(v values) string { return join("/spend", v["id"], v["amount"], v["purpose"]) }},
		{name: "refund", opts: []optSpec{optCampaign, {name: "member", kind: optUser, required: true}, opt("amount", true)},
			line: func(v values) string { return join("/refund", v["id"], v["member"], v["amount"]) }},
		{name: "ask", opts: []optSpec{optCampaign, opt("question", false)}, line: func(v values) string { return join("/ask", v["id"], v["question"]) }},
		{name: "answer", opts: []optSpec{optCampaign, opt("q", true), opt("text", true)},
			line: func(v values) string { return join("/answer", v["id"], v["q"], v["text"]) }},
		{name: "faq", subs: []cmdSpec{
			{name: "show", opts: []optSpec{optCampaign}, line: func(v values) string { return join("/faq", v["id"]) }},
			{name: "approve", opts: []optSpec{optCampaign, opt("q", true)}, line: func(v values) string { return join("/faq", v["id"], "approve", v["q"]) }},
			{name: "discard", opts: []optSpec{optCampaign, opt("q", true)}, line: func(v values) string { return join("/faq", v["id"], "discard", v["q"]) }},
		}},
		byID("ledger", optCampaign),
		byID("schedule", optCampaign),
		{name: "allocate", opts: []optSpec{optCampaign, {name: "poll", kind: optID, suggest: bots.SuggestPoll, required: true}},
			line: func(v values) string { return join("/allocate", v["id"], kw("by", v["poll"])) }},
		// Facilitation
		{name: "slot", subs: []cmdSpec{
			{name: "set", opts: []optSpec{{name: "day", kind: optChoice, required: true, choices: days}, opt("time", true), opt("tz", false)},
				line: func(v values) string { return join("/slot", v["day"], v["time"], v["tz"]) }},
			{name: "move", opts: []optSpec{{name: "day", kind: optChoice, required: true, choices: days}, opt("time", false)},
				line: func(v values) string { return join("/slot move", v["day"], v["time"]) }},
		}},
		{name: "backup", subs: []cmdSpec{
			{name: "set", opts: []optSpec{{name: "member", kind: optUser, required: true}}, line: func(v values) string { return join("/backup", v["member"]) }},
			{name: "none", line: func(values) string { return "/backup none" }},
		}},
		{name: "away", subs: []cmdSpec{
			{name: "set", opts: []optSpec{opt("from", true), opt("to", true)}, line: func(v values) string { return join("/away", v["from"], v["to"]) }},
			{name: "off", line: func(values) string { return "/away off" }},
		}},
		{name: "checkin", subs: []cmdSpec{
			{name: "now", line: func(values) string { return "/checkin now" }},
			{name: "answer", opts: []optSpec{optProject}, line: func(v values) string { return join("/checkin", v["id"]) }},
		}},
		{name: "meeting", subs: []cmdSpec{
			{name: "show", line: func(values) string { return "/meeting" }},
			{name: "new", opts: []optSpec{opt("date", true), opt("title", true), {name: "places", kind: optInt}}, line: func(v values) string {
				return join("/meeting new", v["date"], v["title"], kw("places", v["places"]))
			}},
			{name: "poll", opts: []optSpec{opt("dates", false)}, line: func(v values) string { return join("/meeting poll", v["dates"]) }},
		}},
		{name: "digest", line: func(values) string { return "/digest" }},
		{name: "impact", opts: []optSpec{{name: "weeks", kind: optInt}}, line: func(v values) string { return join("/impact", kw("weeks", v["weeks"])) }},
		{name: "dashboard", subs: []cmdSpec{
			{name: "link", line: func(values) string { return "/dashboard" }},
			{name: "revoke", line: func(values) string { return "/dashboard revoke" }},
		}},
	}
}

// Texts gives the text of key in lang ("fr", "en"), or "" when there is none.
type Texts func(lang, key string) string

// catalog is the command table with what an invocation needs to find its spec.
type catalog struct {
	specs  []cmdSpec
	byName map[string]*cmdSpec
	texts  Texts
}

// newCatalog keeps the commands the bot knows (known; nil: all of them), and
// /engage.
func newCatalog(texts Texts, known []string) *catalog {
	c := &catalog{byName: map[string]*cmdSpec{}, texts: texts}
	for _, s := range slashCommands() {
		if known == nil || s.name == "engage" || slices.Contains(known, s.name) {
			c.specs = append(c.specs, s)
		}
	}
	for i := range c.specs {
		c.byName[c.specs[i].name] = &c.specs[i]
	}
	return c
}

// reName is compiled on first use: its Unicode classes take 1.2 MB and a few
// milliseconds, which every start of the binary paid, `engage version` included.
var reName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[-_\p{L}\p{N}]{1,32}$`) })

// text is key in lang, cut to n characters ("" when missing).
func (c *catalog) text(lang, key string, n int) string {
	if c.texts == nil {
		return ""
	}
	return clipText(c.texts(lang, key), n)
}

// describe returns a description and its localisations.
func (c *catalog) describe(key, fallback string) (string, map[discordgo.Locale]string) {
	en := c.text("en", key, 100)
	if en == "" {
		en = fallback
	}
	loc := map[discordgo.Locale]string{discordgo.EnglishUS: en}
	if fr := c.text("fr", key, 100); fr != "" {
		loc[discordgo.French] = fr
	}
	return en, loc
}

// localName returns the French name of name, when there is a valid one.
func (c *catalog) localName(name string) map[discordgo.Locale]string {
	fr := strings.ToLower(c.text("fr", "discord.name."+name, 32))
	if fr == "" || fr == name || !reName().MatchString(fr) {
		return nil
	}
	return map[discordgo.Locale]string{discordgo.French: fr}
}

// appCommands returns the application commands to register.
func (c *catalog) appCommands() []*discordgo.ApplicationCommand {
	contexts := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	integ := []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
	var out []*discordgo.ApplicationCommand
	for _, s := range c.specs {
		desc, dloc := c.describe("discord."+s.name, s.name)
		cmd := &discordgo.ApplicationCommand{
			Type: discordgo.ChatApplicationCommand, Name: s.name, Description: desc,
			DescriptionLocalizations: &dloc, Contexts: &contexts, IntegrationTypes: &integ,
		}
		if loc := c.localName(s.name); loc != nil {
			cmd.NameLocalizations = &loc
		}
		for _, sub := range s.subs {
			sdesc, sloc := c.describe("discord."+s.name+"."+sub.name, sub.name)
			cmd.Options = append(cmd.Options, &discordgo.ApplicationCommandOption{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: sub.name, NameLocalizations: c.localName(sub.name),
				Description: sdesc, DescriptionLocalizations: sloc, Options: c.options(sub.opts),
			})
		}
		if len(s.subs) == 0 {
			cmd.Options = c.options(s.opts)
		}
		out = append(out, cmd)
	}
	return out
}

func (c *catalog) options(specs []optSpec) []*discordgo.ApplicationCommandOption {
	var out []*discordgo.ApplicationCommandOption
	for _, o := range specs {
		key := o.key
		if key == "" {
			key = "discord.opt." + o.name
		}
		desc, dloc := c.describe(key, o.name)
		opt := &discordgo.ApplicationCommandOption{
			Type: discordgo.ApplicationCommandOptionString, Name: o.name, NameLocalizations: c.localName(o.name),
			Description: desc, DescriptionLocalizations: dloc, Required: o.required, MaxLength: o.max,
		}
		if o.max > 6000 {
			opt.MaxLength = 6000
		}
		switch o.kind {
		case optID:
			opt.Autocomplete = true
		case optUser:
			opt.Type = discordgo.ApplicationCommandOptionUser
		case optInt:
			opt.Type = discordgo.ApplicationCommandOptionInteger
			lo := 0.0
			opt.MinValue, opt.MaxValue = &lo, 1_000_000
		case optBool:
			opt.Type = discordgo.ApplicationCommandOptionBoolean
		case optChoice:
			for _, ch := range o.choices {
				name := c.text("en", ch.key, 100)
				if name == "" {
					name = ch.value
				}
				choice := &discordgo.ApplicationCommandOptionChoice{Name: name, Value: ch.value}
				if fr := c.text("fr", ch.key, 100); fr != "" && fr != name {
					choice.NameLocalizations = map[discordgo.Locale]string{discordgo.French: fr}
				}
				opt.Choices = append(opt.Choices, choice)
			}
		}
		out = append(out, opt)
	}
	return out
}

var reMention = regexp.MustCompile(`<@!?([0-9]{1,20})>`)

// mentions maps each user mention in text ("<@123>") to the user's ID.
func mentions(text string, into map[string]string) map[string]string {
	for _, m := range reMention.FindAllStringSubmatch(text, 32) {
		if into == nil {
			into = map[string]string{}
		}
		into[m[0]] = m[1]
	}
	return into
}

// line turns a slash command invocation into the line a person would type, with
// the mentions it holds. A command this table does not know (registered by another
// version) becomes "/NAME", which bots answers as unknown.
func (c *catalog) line(d discordgo.ApplicationCommandInteractionData) (string, map[string]string) {
	name := strings.ToLower(d.Name)
	spec := c.byName[name]
	if spec == nil || !reName().MatchString(name) {
		if !reName().MatchString(name) {
			name = "?"
		}
		return "/" + name, nil
	}
	opts := d.Options
	if len(spec.subs) > 0 {
		if len(opts) == 0 || opts[0] == nil {
			return "/" + name, nil
		}
		i := slices.IndexFunc(spec.subs, func(s cmdSpec) bool { return s.name == opts[0].Name })
		if i < 0 {
			return "/" + name, nil
		}
		spec, opts = &spec.subs[i], opts[0].Options
	}
	v := values{}
	var mention map[string]string
	for _, o := range opts {
		if o == nil {
			continue
		}
		i := slices.IndexFunc(spec.opts, func(s optSpec) bool { return s.name == o.Name })
		if i < 0 {
			continue
		}
		s := optionText(o.Value)
		if spec.opts[i].kind == optUser {
			if !isSnowflake(s) {
				continue
			}
			s = "<@" + s + ">"
			mention = map[string]string{s: strings.Trim(s, "<@>")}
		}
		v[o.Name] = s
	}
	line := spec.line(v)
	return line, mentions(line, mention)
}

// focused returns the option being typed in an autocomplete, and what is typed.
func (c *catalog) focused(d discordgo.ApplicationCommandInteractionData) (optSpec, string, bool) {
	spec := c.byName[strings.ToLower(d.Name)]
	if spec == nil {
		return optSpec{}, "", false
	}
	opts := d.Options
	if len(spec.subs) > 0 {
		if len(opts) == 0 || opts[0] == nil {
			return optSpec{}, "", false
		}
		i := slices.IndexFunc(spec.subs, func(s cmdSpec) bool { return s.name == opts[0].Name })
		if i < 0 {
			return optSpec{}, "", false
		}
		spec, opts = &spec.subs[i], opts[0].Options
	}
	for _, o := range opts {
		if o == nil || !o.Focused {
			continue
		}
		i := slices.IndexFunc(spec.opts, func(s optSpec) bool { return s.name == o.Name })
		if i < 0 {
			return optSpec{}, "", false
		}
		return spec.opts[i], optionText(o.Value), true
	}
	return optSpec{}, "", false
}

// optionText is an option's value as one clean line of text.
func optionText(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		s = strconv.FormatBool(x)
	case json.Number:
		s = x.String()
	default:
		return ""
	}
	return strings.Join(strings.Fields(s), " ")
}

// TextKeys lists the keys of every text the adapter asks Texts for: its own words,
// the descriptions of commands, subcommands and options, the labels of choices,
// and the names (discord.name.*) that French localises.
func TextKeys() []string {
	keys := []string{"discord.done", "discord.choose"}
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	opts := func(path string, specs []optSpec) {
		for _, o := range specs {
			if o.key != "" {
				add(o.key)
			} else {
				add("discord.opt." + o.name)
			}
			add("discord.name." + o.name)
			for _, ch := range o.choices {
				add(ch.key)
			}
		}
	}
	for _, s := range slashCommands() {
		add("discord." + s.name)
		add("discord.name." + s.name)
		opts(s.name, s.opts)
		for _, sub := range s.subs {
			add("discord." + s.name + "." + sub.name)
			add("discord.name." + sub.name)
			opts(s.name+"."+sub.name, sub.opts)
		}
	}
	return keys
}

// CommandNames lists the chat-language commands the adapter has a slash command
// for (and engage); the others are reached through /engage.
func CommandNames() []string {
	var names []string
	for _, s := range slashCommands() {
		names = append(names, s.name)
	}
	return names
}
