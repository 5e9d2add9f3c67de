package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/engage-org/engage/bots"
)

// Discord's error codes the adapter tells apart.
const (
	codeUnknownInteraction = 10062 // the token expired (the 3 seconds passed)
	codeAlreadyAcked       = 40060 // the interaction was answered already (a duplicate)
)

// The lifetimes of an interaction's token.
const (
	tokenLife     = 15 * time.Minute
	handleTimeout = 30 * time.Second
)

// incoming is one interaction, decoded.
type incoming struct {
	*discordgo.Interaction
	channelName string
	received    time.Time
	inbox       string // the ID under which the inbox keeps it ("" if it does not)
	recovered   bool   // taken from the inbox at start: an earlier run received it
}

// decodeInteraction reads an interaction payload. Anything a handler needs is
// checked here, so that the rest never meets a nil or a mistyped Data.
func decodeInteraction(raw []byte, now time.Time) (*incoming, error) {
	var i discordgo.Interaction
	if err := json.Unmarshal(raw, &i); err != nil {
		return nil, fmt.Errorf("decode interaction: %w", err)
	}
	if i.ID == "" || i.Token == "" || len(i.Token) > 500 || strings.ContainsAny(i.ID+i.Token, "/?#% ") {
		return nil, errors.New("decode interaction: no id or token")
	}
	ok := false
	switch i.Type {
	case discordgo.InteractionPing:
		ok = true
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		_, ok = i.Data.(discordgo.ApplicationCommandInteractionData)
	case discordgo.InteractionMessageComponent:
		_, ok = i.Data.(discordgo.MessageComponentInteractionData)
	case discordgo.InteractionModalSubmit:
		_, ok = i.Data.(discordgo.ModalSubmitInteractionData)
	}
	if !ok {
		return nil, fmt.Errorf("decode interaction: type %d without its data", i.Type)
	}
	if i.Type != discordgo.InteractionPing && actor(&i) == nil {
		return nil, errors.New("decode interaction: no user")
	}
	var extra struct {
		Channel *struct {
			Name string `json:"name"`
		} `json:"channel"`
	}
	_ = json.Unmarshal(raw, &extra)
	in := &incoming{Interaction: &i, received: now}
	if extra.Channel != nil {
		in.channelName = extra.Channel.Name
	}
	return in, nil
}

// actor is the user who acted: the member's user in a server, the user elsewhere.
func actor(i *discordgo.Interaction) *discordgo.User {
	if i.Member != nil && i.Member.User != nil && i.Member.User.ID != "" {
		return i.Member.User
	}
	if i.User != nil && i.User.ID != "" {
		return i.User
	}
	return nil
}

// displayName is how a person shows: server nickname, global name, username.
func displayName(m *discordgo.Member, u *discordgo.User) string {
	if m != nil && m.Nick != "" {
		return m.Nick
	}
	if u.GlobalName != "" {
		return u.GlobalName
	}
	return u.Username
}

// direct reports whether the interaction happened outside a server (a direct
// conversation with the bot).
func (in *incoming) direct() bool { return in.GuildID == "" }

// event turns an interaction (not a ping or an autocomplete) into a bots.Event.
// Components and modals this adapter did not make come as a stale button ("-"),
// which bots answers as one.
func (a *Adapter) event(in *incoming) bots.Event {
	u := actor(in.Interaction)
	ev := bots.Event{
		Platform: bots.PlatformDiscord, ChatID: in.ChannelID, ChatTitle: in.channelName, Direct: in.direct(),
		UserID: u.ID, UserName: displayName(in.Member, u), Handle: u.Username, Lang: string(in.Locale),
		Key: "discord:" + in.ID, CanForm: true, Inbox: in.inbox,
	}
	switch d := in.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		ev.Kind = bots.KindMessage
		ev.Text, ev.Mentions = a.cat.line(d)
	case discordgo.MessageComponentInteractionData:
		ev.Kind, ev.Action = bots.KindAction, "-"
		switch kind, tok, ok := parseCustomID(d.CustomID); {
		case ok && kind == idButton:
			ev.Action = tok
		case ok && kind == idSelect && len(d.Values) == 1 && validToken(d.Values[0]):
			ev.Action = d.Values[0]
		}
	case discordgo.ModalSubmitInteractionData:
		ev.Kind, ev.Action = bots.KindForm, "-"
		if kind, tok, ok := parseCustomID(d.CustomID); ok && kind == idForm {
			ev.Action = tok
		}
		ev.Fields = map[string]string{}
		for _, c := range d.Components {
			row, ok := c.(*discordgo.ActionsRow)
			if !ok {
				continue
			}
			for _, cc := range row.Components {
				if ti, ok := cc.(*discordgo.TextInput); ok && ti.CustomID != "" {
					ev.Fields[ti.CustomID] = ti.Value
				}
			}
		}
	}
	return ev
}

// responder sends an interaction's initial response: by REST over the gateway, in
// the HTTP answer in http mode. files, when the response has them, go with it.
type responder func(ctx context.Context, resp any, files []*discordgo.File) error

// restResponder answers through POST /interactions/{id}/{token}/callback.
func (a *Adapter) restResponder(in *incoming) responder {
	return func(ctx context.Context, resp any, files []*discordgo.File) error {
		endpoint := discordgo.EndpointInteractionResponse(in.ID, in.Token)
		if len(files) > 0 {
			ct, body, err := discordgo.MultipartBodyWithJSON(resp, files)
			if err != nil {
				return fmt.Errorf("encode response: %w", err)
			}
			_, err = a.rest.RequestRaw("POST", endpoint, ct, body, endpoint, 0, discordgo.WithContext(ctx))
			return err
		}
		_, err := a.rest.RequestWithBucketID("POST", endpoint, resp, endpoint, discordgo.WithContext(ctx))
		return err
	}
}

// response is an initial interaction response of any type.
type response struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data any                               `json:"data,omitempty"`
}

// choicesData is an autocomplete result (choices must be there even when empty).
type choicesData struct {
	Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
}

// handled is what the bot answered.
type handled struct {
	out []bots.Message
	err error
}

// interact answers one interaction: within DeferAfter with the bot's answer, else
// with a deferral, then with follow-ups once the bot is done.
func (a *Adapter) interact(in *incoming, respond responder) {
	ctx, cancel := context.WithDeadline(a.life, in.received.Add(tokenLife))
	defer cancel()
	log := a.log.With("interaction", in.ID, "type", int(in.Type))
	switch in.Type {
	case discordgo.InteractionPing:
		if err := respond(ctx, response{Type: discordgo.InteractionResponsePong}, nil); err != nil {
			log.Warn("discord ping answer", "err", redact(err, in.Token))
		}
		return
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.autocomplete(ctx, in, respond)
		return
	}
	ev := a.event(in)
	result := make(chan handled, 1)
	a.wg.Go(func() {
		select {
		case a.busy <- struct{}{}:
			defer func() { <-a.busy }()
		case <-ctx.Done():
			result <- handled{err: ctx.Err()}
			return
		}
		hctx, cancel := context.WithTimeout(ctx, handleTimeout)
		defer cancel()
		out, err := a.cfg.Handler.Handle(hctx, ev)
		if err != nil && a.life.Err() == nil {
			a.inboxDone(ev.Inbox) // failed inside, apology given: not handled again
		}
		result <- handled{out, err}
	})
	timer := time.NewTimer(a.cfg.DeferAfter - time.Since(in.received))
	defer timer.Stop()
	var r handled
	deferred := false
	select {
	case r = <-result:
	case <-timer.C:
		deferred = true
		kind := discordgo.InteractionResponseDeferredChannelMessageWithSource
		if in.Type == discordgo.InteractionMessageComponent {
			kind = discordgo.InteractionResponseDeferredMessageUpdate
		}
		err := respond(ctx, response{Type: kind}, nil)
		r = <-result
		if err != nil {
			a.answerLate(ctx, log, in, ev, r, err)
			return
		}
		log.Debug("discord interaction deferred")
	}
	if r.err != nil { // the bot logged it; its apology is in r.out
		log.Debug("discord event failed", "err", r.err)
	}
	if !deferred {
		if f := formIn(r.out); f != nil && in.Type != discordgo.InteractionModalSubmit {
			if data, ok := modal(f); ok {
				if err := respond(ctx, response{Type: discordgo.InteractionResponseModal, Data: data}, nil); err != nil {
					log.Warn("discord modal", "err", redact(err, in.Token))
				}
				a.sendAway(ctx, log, without(r.out, f))
				a.answered(ctx, ev.Key)
				return
			}
		}
	}
	if formIn(r.out) != nil { // no modal possible now: ask the form by direct message
		r = a.withoutForms(ctx, ev)
		defer a.answered(ctx, ev.Key+"/noform")
	}
	a.answer(ctx, log, in, ev, r.out, respond, deferred)
	a.answered(ctx, ev.Key)
}

// answered records that the answers to the event key were sent, so that the
// event delivered again (a gateway replaying events after a resume) gets none.
func (a *Adapter) answered(ctx context.Context, key string) {
	if r, ok := a.cfg.Handler.(bots.AnswerRecorder); ok && key != "" {
		if err := r.AnswersSent(context.WithoutCancel(ctx), key); err != nil {
			a.log.Warn("discord: answers sent but not recorded", "key", key, "err", err)
		}
	}
}

// withoutForms handles ev again, as from a platform without forms: the bot then
// asks the form's fields one by one by direct message.
func (a *Adapter) withoutForms(ctx context.Context, ev bots.Event) handled {
	ev.CanForm = false
	ev.Key += "/noform"
	hctx, cancel := context.WithTimeout(ctx, handleTimeout)
	defer cancel()
	out, err := a.cfg.Handler.Handle(hctx, ev)
	return handled{out, err}
}

func formIn(msgs []bots.Message) *bots.Form {
	for _, m := range msgs {
		if m.Form != nil {
			return m.Form
		}
	}
	return nil
}

func without(msgs []bots.Message, f *bots.Form) []bots.Message {
	var out []bots.Message
	for _, m := range msgs {
		if m.Form != f {
			out = append(out, m)
		}
	}
	return out
}

// piece is one Discord message of an answer.
type piece struct {
	content    string
	embed      *discordgo.MessageEmbed
	components []discordgo.MessageComponent
	files      []*discordgo.File
	ephemeral  bool
}

func (p piece) embeds() []*discordgo.MessageEmbed {
	if p.embed == nil {
		return []*discordgo.MessageEmbed{}
	}
	return []*discordgo.MessageEmbed{p.embed}
}

func (p piece) flags() discordgo.MessageFlags {
	if p.ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

func (p piece) data() *discordgo.InteractionResponseData {
	return &discordgo.InteractionResponseData{
		Content: p.content, Embeds: p.embeds(), Components: nonNil(p.components), Files: p.files,
		Flags: p.flags(), AllowedMentions: noMentions,
	}
}

func (p piece) params() *discordgo.WebhookParams {
	return &discordgo.WebhookParams{
		Content: p.content, Embeds: p.embeds(), Components: nonNil(p.components), Files: p.files,
		Flags: p.flags(), AllowedMentions: noMentions,
	}
}

func (p piece) edit() *discordgo.WebhookEdit {
	comps := nonNil(p.components)
	embeds := p.embeds()
	return &discordgo.WebhookEdit{Content: &p.content, Embeds: &embeds, Components: &comps, Files: p.files, AllowedMentions: noMentions}
}

func nonNil(c []discordgo.MessageComponent) []discordgo.MessageComponent {
	if c == nil {
		return []discordgo.MessageComponent{}
	}
	return c
}

// pieces lays m out as the messages of an answer.
func (a *Adapter) pieces(m bots.Message, ephemeral bool) []piece {
	o := render(m, a.choose())
	var ps []piece
	if o.embed != nil {
		ps = []piece{{embed: o.embed}}
	} else {
		for _, c := range o.chunks {
			ps = append(ps, piece{content: c})
		}
	}
	for i := range ps {
		ps[i].ephemeral = ephemeral
	}
	last := &ps[len(ps)-1]
	last.components, last.files = o.components, files(o.file)
	return ps
}

// sortAnswer sorts the bot's answer: what shows in the interaction (in its channel, or
// only to the actor) and what goes elsewhere (a direct message from a server
// channel, another chat).
func (a *Adapter) sortAnswer(in *incoming, ev bots.Event, msgs []bots.Message) (here []piece, away []bots.Message) {
	for _, m := range msgs {
		switch {
		case m.Platform != "" && m.Platform != bots.PlatformDiscord, m.Edit, m.EditID != "", m.Ref != "":
			away = append(away, m)
		case m.Ephemeral && !in.direct() && (m.ChatID == "" || m.ChatID == in.ChannelID):
			here = append(here, a.pieces(m, true)...)
		case in.direct() && (m.ChatID == in.ChannelID || m.Direct && m.UserID == ev.UserID):
			here = append(here, a.pieces(m, false)...)
		case !in.direct() && !m.Direct && m.ChatID == in.ChannelID:
			here = append(here, a.pieces(m, false)...)
		default:
			away = append(away, m)
		}
	}
	return here, away
}

// answer delivers the bot's answer: the initial response (unless deferred), the
// rest as follow-ups, what goes elsewhere through Send.
func (a *Adapter) answer(ctx context.Context, log *slog.Logger, in *incoming, ev bots.Event, msgs []bots.Message, respond responder, deferred bool) {
	here, away := a.sortAnswer(in, ev, msgs)
	component := in.Type == discordgo.InteractionMessageComponent
	if !deferred {
		var first piece
		var resp response
		switch {
		case len(here) > 0:
			first, here = here[0], here[1:]
			resp = response{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: first.data()}
		case component:
			resp = response{Type: discordgo.InteractionResponseDeferredMessageUpdate}
		default:
			first = piece{content: escape(a.done(in)), ephemeral: true}
			resp = response{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: first.data()}
		}
		if err := respond(ctx, resp, first.files); err != nil {
			a.answerLate(ctx, log, in, ev, handled{out: msgs}, err)
			return
		}
	} else if !component { // a deferred "thinking…" stands as the original response
		switch {
		case len(here) > 0 && !here[0].ephemeral:
			if _, err := a.rest.InteractionResponseEdit(in.Interaction, here[0].edit(), discordgo.WithContext(ctx)); err != nil {
				log.Warn("discord edit original response", "err", redact(err, in.Token))
			}
			here = here[1:]
		case len(here) > 0:
			if err := a.rest.InteractionResponseDelete(in.Interaction, discordgo.WithContext(ctx)); err != nil {
				log.Warn("discord delete original response", "err", redact(err, in.Token))
			}
		default:
			done := piece{content: escape(a.done(in))}
			if _, err := a.rest.InteractionResponseEdit(in.Interaction, done.edit(), discordgo.WithContext(ctx)); err != nil {
				log.Warn("discord edit original response", "err", redact(err, in.Token))
			}
		}
	}
	for _, p := range here {
		if _, err := a.rest.FollowupMessageCreate(in.Interaction, true, p.params(), discordgo.WithContext(ctx)); err != nil {
			log.Warn("discord follow-up", "err", redact(err, in.Token))
		}
	}
	a.sendAway(ctx, log, away)
}

// answerLate handles an initial response Discord refused: a duplicate delivery
// (answered already: nothing more to do, the bot did nothing either) or an
// interaction past its three seconds (the answer goes to the chat as messages).
func (a *Adapter) answerLate(ctx context.Context, log *slog.Logger, in *incoming, ev bots.Event, r handled, err error) {
	switch restCode(err) {
	case codeAlreadyAcked:
		if in.recovered && r.err == nil {
			// The run that received it deferred it, then died before handling it:
			// the deferral stands as the response, and the answer follows it.
			log.Info("discord interaction deferred by an earlier run, answered now")
			var msgs []bots.Message
			for _, m := range r.out {
				if m.Form == nil { // no modal after a deferral
					msgs = append(msgs, m)
				}
			}
			a.answer(ctx, log, in, ev, msgs, nil, true)
			return
		}
		log.Info("discord interaction answered already (duplicate)")
		return
	case codeUnknownInteraction:
		log.Warn("discord interaction expired before its answer; sending it as messages")
	default:
		log.Warn("discord interaction response", "err", redact(err, in.Token))
	}
	var msgs []bots.Message
	for _, m := range r.out {
		if m.Form != nil {
			continue
		}
		if m.ChatID == "" && !m.Direct {
			m.ChatID = in.ChannelID
		}
		msgs = append(msgs, m)
	}
	a.sendAway(ctx, log, msgs)
}

// sendAway sends messages through Send, as the outbox would.
func (a *Adapter) sendAway(ctx context.Context, log *slog.Logger, msgs []bots.Message) {
	for _, m := range msgs {
		if m.Form != nil {
			continue
		}
		if _, err := a.Send(ctx, m); err != nil {
			log.Warn("discord send", "err", err)
		}
	}
}

// done is what an interaction whose answer is elsewhere (a post through the
// outbox) says to the actor alone.
func (a *Adapter) done(in *incoming) string {
	lang := a.cfg.Lang
	if l := strings.ToLower(string(in.Locale)); len(l) >= 2 && a.cat.text(l[:2], "discord.done", maxContent) != "" {
		lang = l[:2]
	}
	if t := a.cat.text(lang, "discord.done", maxContent); t != "" {
		return t
	}
	return "✅"
}

// autocomplete answers an ID being typed with the bot's suggestions.
func (a *Adapter) autocomplete(ctx context.Context, in *incoming, respond responder) {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	d := in.Data.(discordgo.ApplicationCommandInteractionData)
	if spec, typed, ok := a.cat.focused(d); ok && spec.kind == optID {
		sctx, cancel := context.WithTimeout(ctx, a.cfg.DeferAfter)
		ss, err := a.cfg.Handler.Suggest(sctx, a.event(in), spec.suggest, typed)
		cancel()
		if err != nil {
			a.log.Warn("discord suggestions", "err", err)
		}
		for _, s := range ss {
			if s.Value == "" || len(s.Value) > 100 {
				continue
			}
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: clipText(s.Label, 100), Value: s.Value})
		}
	}
	resp := response{Type: discordgo.InteractionApplicationCommandAutocompleteResult, Data: choicesData{Choices: choices}}
	if err := respond(ctx, resp, nil); err != nil {
		a.log.Warn("discord autocomplete answer", "err", redact(err, in.Token))
	}
}

// restCode is Discord's error code in a REST error (0 if none).
func restCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}

// decodeJSON decodes raw into v.
func decodeJSON(raw []byte, v any) error { return json.Unmarshal(raw, v) }

// redacted is an error whose text hides a secret (an interaction's token, which
// discordgo's errors may carry in a URL).
type redacted struct {
	err    error
	secret string
}

func (r redacted) Error() string { return strings.ReplaceAll(r.err.Error(), r.secret, "…") }
func (r redacted) Unwrap() error { return r.err }

// redact hides secret in err's text, for logs.
func redact(err error, secret string) error {
	if err == nil || secret == "" {
		return err
	}
	return redacted{err, secret}
}
