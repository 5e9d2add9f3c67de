package bots

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

// checkField refuses a value typed for fl that the command would refuse (empty values
// are the caller's business): the same answer as the command, before the next
// field is asked. values are the fields answered so far, for a field that depends
// on an amount (Of).
func checkField(fl Field, v string, values map[string]string) error {
	if v == "" {
		return nil
	}
	n := 0
	switch fl.Check {
	case outbox.CheckAmount:
		_, err := core.ParseAmount(v, fl.Currency, fl.Max)
		return err
	case outbox.CheckCount:
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 0 || n > int(fl.Max) {
			return core.Errorf(core.CodeInvalid, "err.form_count", "label", fl.Label, "value", v, "max", fl.Max)
		}
	}
	if fl.Of == "" {
		return nil
	}
	amount, err := core.ParseAmount(values[fl.Of], fl.Currency, 0)
	if err != nil {
		return nil // the amount field answers for itself
	}
	money := func(m int64) core.Money { return core.Money{Amount: m, Currency: amount.Currency} }
	if fl.Unit > 0 && int64(n) > amount.Amount/fl.Unit {
		return core.Errorf(core.CodeInvalid, "err.hours_over", "hours", n, "value", money(int64(n)*fl.Unit), "amount", amount)
	}
	for _, o := range fl.Options {
		if o.Value == v && o.Min > amount.Amount {
			_, title, _ := strings.Cut(o.Label, " ")
			return core.Errorf(core.CodeInvalid, "err.reward_min", "reward", o.Value, "title", title, "min", money(o.Min))
		}
	}
	return nil
}

// formPrefix marks a token that stands for a form rather than a command.
const formPrefix = "form:"

// dialogForm is the dialog of a form asked field by field.
const dialogForm = "form"

// askForm asks the actor to fill f: as a form in answer to this event when the
// platform can show one, else field by field by direct message. Only the actor
// sees it: it is in their own language (lang.go), and so are the forms callers
// build.
func (c *turn) askForm(f Form) error {
	raw, err := json.Marshal(f)
	if err != nil {
		return core.Internal("encode form", err)
	}
	tok, err := c.tx.ButtonToken(formPrefix + string(raw))
	if err != nil {
		return err
	}
	f.Token = tok
	if c.ev.CanForm {
		f.Submit, f.Cancel = c.ownText("form.submit", nil), c.ownText("form.cancel", nil)
		m := c.here(false)
		m.Text, m.Form = f.Title, &f
		c.answer(m)
		return nil
	}
	var comm core.CommunityID
	if c.comm != nil {
		comm = c.comm.ID
	}
	d := &core.Dialog{Kind: dialogForm, Community: comm, Ref: tok, Data: map[string]string{}, Expires: c.tx.Now().Add(24 * time.Hour)}
	if err := c.tx.SetDialog(c.person.ID, d); err != nil {
		return err
	}
	c.askField(f, 0)
	return nil
}

// askField asks field i of f by direct message.
func (c *turn) askField(f Form, i int) {
	fl := f.Fields[i]
	var opts []string
	for _, o := range fl.Options {
		opts = append(opts, o.Label)
	}
	m := c.toActor()
	m.Text = c.ownText("form.ask", formAskText{
		Title: f.Title, Label: fl.Label, Placeholder: fl.Placeholder, Options: opts,
		Optional: fl.Optional, Step: i + 1, Steps: len(f.Fields),
	})
	c.answer(m)
}

// form returns the form a token stands for.
func (c *turn) form(token string) (Form, error) {
	var f Form
	raw, err := c.tx.ButtonCommand(token)
	if err != nil {
		return f, err
	}
	def, ok := strings.CutPrefix(raw, formPrefix)
	if !ok {
		return f, core.Errorf(core.CodeNotFound, "err.stale_button")
	}
	if err := json.Unmarshal([]byte(def), &f); err != nil {
		return f, core.Internal("decode form", err)
	}
	f.Token = token
	return f, nil
}

// submitForm runs the command of a filled form.
func (c *turn) submitForm(token string, values map[string]string) error {
	f, err := c.form(token)
	if err != nil {
		return err
	}
	cmd := f.Command
	for _, fl := range f.Fields {
		v := clean(values[fl.Name])
		if v == "" && !fl.Optional {
			return core.Errorf(core.CodeInvalid, "err.form_missing", "label", fl.Label)
		}
		if len(fl.Options) > 0 && v != "" {
			// A form typed into (a Discord modal has no menus) may hold a label or number.
			picked, ok := pickOption(fl, v)
			if !ok {
				return core.Errorf(core.CodeInvalid, "err.form_option", "label", fl.Label, "value", v)
			}
			v = picked
		}
		if err := checkField(fl, v, values); err != nil {
			return err
		}
		if v == "" {
			v = fl.Blank
		}
		cmd = strings.ReplaceAll(cmd, "{"+fl.Name+"}", v)
	}
	return c.command(strings.TrimSpace(cmd))
}

// pickOption returns the value of the option v names: its value or label (ignoring
// case), else its number in the list — unless options are numbers themselves (a
// score), where a number is only ever a value.
func pickOption(fl Field, v string) (string, bool) {
	numeric := false
	for _, o := range fl.Options {
		if strings.EqualFold(v, o.Value) || strings.EqualFold(v, o.Label) {
			return o.Value, true
		}
		if _, err := strconv.Atoi(o.Value); err == nil {
			numeric = true
		}
	}
	if n, err := strconv.Atoi(v); err == nil && !numeric && n >= 1 && n <= len(fl.Options) {
		return fl.Options[n-1].Value, true
	}
	return v, false
}

// clean makes a typed value safe to put in a command line: one line, trimmed.
func clean(v string) string {
	return strings.TrimSpace(strings.Join(strings.Fields(v), " "))
}

// formDialog takes the answer to the field being asked.
func formDialog(c *turn, d *core.Dialog, text string) error {
	f, err := c.form(d.Ref)
	if err != nil {
		_ = c.tx.EndDialog(c.person.ID)
		return err
	}
	i := d.Step
	if i >= len(f.Fields) {
		return c.tx.EndDialog(c.person.ID)
	}
	fl := f.Fields[i]
	v := clean(text)
	if v == "-" && fl.Optional {
		v = ""
	}
	if len(fl.Options) > 0 && v != "" {
		picked, ok := pickOption(fl, v)
		if !ok {
			c.askField(f, i)
			return nil
		}
		v = picked
	}
	if v == "" && !fl.Optional {
		c.askField(f, i)
		return nil
	}
	if err := checkField(fl, v, d.Data); err != nil {
		// Asked again at once, with why: the form is kept, and so are the fields
		// already answered.
		key, args := core.ErrorMessage(err)
		m := c.toActor()
		m.Text = c.ownText(key, args)
		c.answer(m)
		c.askField(f, i)
		return nil
	}
	if d.Data == nil {
		d.Data = map[string]string{}
	}
	d.Data[fl.Name] = v
	d.Step++
	if d.Step < len(f.Fields) {
		if err := c.tx.SetDialog(c.person.ID, d); err != nil {
			return err
		}
		c.askField(f, d.Step)
		return nil
	}
	if err := c.tx.EndDialog(c.person.ID); err != nil {
		return err
	}
	return c.submitForm(d.Ref, d.Data)
}

// formAskText is what the text form.ask shows.
type formAskText struct {
	Title       string
	Label       string
	Placeholder string
	Options     []string
	Optional    bool
	Step        int
	Steps       int
}
