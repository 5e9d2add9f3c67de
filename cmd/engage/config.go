package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Config is every setting of Engage. It is read from a YAML file (config.example.yaml
// documents each setting), then every setting may be overridden by an environment
// variable named after its path: store.path → ENGAGE_STORE_PATH. Secrets are given
// that way, never in the file.
type Config struct {
	Store     StoreConfig     `yaml:"store"`
	HTTP      HTTPConfig      `yaml:"http"`
	Log       LogConfig       `yaml:"log"`
	Community CommunityConfig `yaml:"community"`
	Telegram  TelegramConfig  `yaml:"telegram"`
	Slack     SlackConfig     `yaml:"slack"`
	Discord   DiscordConfig   `yaml:"discord"`
	LLM       LLMConfig       `yaml:"llm"`
	Votes     VotesConfig     `yaml:"votes"`
	Web       WebConfig       `yaml:"web"`
}

// WebConfig configures the web pages beyond their address (http.public_url).
type WebConfig struct {
	// Secret signs the facilitators' dashboard links (ENGAGE_WEB_SECRET, at least
	// 16 characters): without it /dashboard answers that it is not configured.
	// Changing it ends every link given. It is never logged nor stored.
	Secret string `yaml:"secret"`
}

// VotesConfig configures polls.
type VotesConfig struct {
	// Secret keys secret ballots (ENGAGE_VOTES_SECRET, at least 16 characters): with
	// it a member can change a secret ballot until close; without it a secret ballot
	// is final. It must never be in the store, and must stay the same.
	Secret string `yaml:"secret"`
}

// StoreConfig chooses the store.
type StoreConfig struct {
	Driver string `yaml:"driver"` // bolt (default) or postgres
	Path   string `yaml:"path"`   // the bbolt file
	DSN    string `yaml:"dsn"`    // the PostgreSQL connection string
	// EventRetention is how long an event's key is kept so that a redelivered event
	// changes nothing (7 days by default, at least 2 days: longer than any
	// platform redelivers). Its answer is kept a day (core.AnswerRetention).
	EventRetention time.Duration `yaml:"event_retention"`
}

// HTTPConfig is the service's own HTTP listener: /healthz, /metrics, /backup, the
// platforms' webhooks and the public web pages (/c/SLUG…).
type HTTPConfig struct {
	Addr       string `yaml:"addr"`
	AdminToken string `yaml:"admin_token"`
	// PublicURL is the address the web pages are reached at from outside
	// ("https://engage.example.org"): the links the bot gives and the pages'
	// preview cards use it ("": the bot gives paths, the pages their request's host).
	PublicURL string `yaml:"public_url"`
}

// LogConfig sets logging.
type LogConfig struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text or json
}

// CommunityConfig holds the defaults of new communities.
type CommunityConfig struct {
	Lang          string `yaml:"lang"`
	TimeZone      string `yaml:"timezone"`
	PledgeCeiling int64  `yaml:"pledge_ceiling"`
	Currency      string `yaml:"currency"`
	// MaxProxies is the most proxies a member may hold for one meeting (0: 2).
	MaxProxies int `yaml:"max_proxies"`
}

// TelegramConfig configures the Telegram adapter; it is on when Token is set.
type TelegramConfig struct {
	Token         string `yaml:"token"`
	Mode          string `yaml:"mode"` // polling (default) or webhook
	APIURL        string `yaml:"api_url"`
	WebhookURL    string `yaml:"webhook_url"`
	WebhookSecret string `yaml:"webhook_secret"`
	Workers       int    `yaml:"workers"`
}

// SlackConfig configures the Slack adapter; it is on when BotToken is set.
type SlackConfig struct {
	BotToken      string           `yaml:"bot_token"`
	AppToken      string           `yaml:"app_token"`
	SigningSecret string           `yaml:"signing_secret"`
	Mode          string           `yaml:"mode"` // socket (default) or http
	APIURL        string           `yaml:"api_url"`
	Workspaces    []SlackWorkspace `yaml:"workspaces"`
}

// SlackWorkspace is a further Slack workspace served by the same instance.
type SlackWorkspace struct {
	Name     string `yaml:"name"`
	BotToken string `yaml:"bot_token"`
	AppToken string `yaml:"app_token"`
}

// DiscordConfig configures the Discord adapter; it is on when Token is set.
type DiscordConfig struct {
	Token          string `yaml:"token"`
	ApplicationID  string `yaml:"application_id"`
	PublicKey      string `yaml:"public_key"`
	Mode           string `yaml:"mode"` // gateway (default) or http
	APIURL         string `yaml:"api_url"`
	GuildID        string `yaml:"guild_id"`
	MessageContent bool   `yaml:"message_content"`
	ShardID        int    `yaml:"shard_id"`
	ShardCount     int    `yaml:"shard_count"`
}

// LLMConfig configures the optional language model; it is off unless BaseURL is set,
// and then each community's admins switch it on (/community llm on).
type LLMConfig struct {
	BaseURL      string        `yaml:"base_url"`
	Model        string        `yaml:"model"`
	APIKey       string        `yaml:"api_key"`
	Timeout      time.Duration `yaml:"timeout"`
	MonthlyCalls int           `yaml:"monthly_calls"`
}

// DefaultConfig returns the settings used when nothing is configured.
func DefaultConfig() Config {
	return Config{
		Store:     StoreConfig{Driver: "bolt", Path: "engage.db", EventRetention: 7 * 24 * time.Hour},
		HTTP:      HTTPConfig{Addr: "127.0.0.1:8080"},
		Log:       LogConfig{Level: "info", Format: "text"},
		Community: CommunityConfig{Lang: "fr", TimeZone: "UTC", PledgeCeiling: 1_000_000, Currency: "EUR"},
		Telegram:  TelegramConfig{Mode: "polling", APIURL: "https://api.telegram.org", Workers: 128},
		Slack:     SlackConfig{Mode: "socket", APIURL: "https://slack.com/api/"},
		Discord:   DiscordConfig{Mode: "gateway", APIURL: "https://discord.com/api/v9"},
		LLM:       LLMConfig{Timeout: 8 * time.Second, MonthlyCalls: 1000},
	}
}

// LoadConfig reads the file at path ("" for none) over the defaults, then applies the
// environment.
func LoadConfig(path string, getenv func(string) string) (Config, error) {
	cfg := DefaultConfig()
	if path != "" {
		raw, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("read config: %w", err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(raw)))
		dec.KnownFields(true)
		if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
			return cfg, fmt.Errorf("read config %s: %w", path, err)
		}
	}
	if err := applyEnv(reflect.ValueOf(&cfg).Elem(), "ENGAGE", getenv); err != nil {
		return cfg, err
	}
	if err := applySlackWorkspaceEnv(&cfg, getenv); err != nil {
		return cfg, err
	}
	if cfg.Store.EventRetention < minEventRetention {
		return cfg, fmt.Errorf("store.event_retention %s is shorter than %s: a platform may deliver an event again after it", cfg.Store.EventRetention, minEventRetention)
	}
	return cfg, nil
}

// minEventRetention bounds store.event_retention from below: Telegram keeps an
// update for 24 hours, and a service may be down a while before it comes back.
const minEventRetention = 48 * time.Hour

// EnvNames lists every environment variable a setting can be given by.
func EnvNames() []string {
	var out []string
	walkSettings(reflect.TypeOf(Config{}), "ENGAGE", func(name string) { out = append(out, name) })
	return out
}

func walkSettings(t reflect.Type, prefix string, fn func(string)) {
	for i := range t.NumField() {
		f := t.Field(i)
		name := prefix + "_" + strings.ToUpper(strings.Split(f.Tag.Get("yaml"), ",")[0])
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(time.Duration(0)) {
			walkSettings(f.Type, name, fn)
		} else if f.Type.Kind() != reflect.Slice {
			fn(name)
		}
	}
}

// applyEnv sets each field of v whose variable is set in the environment.
func applyEnv(v reflect.Value, prefix string, getenv func(string) string) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name := prefix + "_" + strings.ToUpper(strings.Split(f.Tag.Get("yaml"), ",")[0])
		fv := v.Field(i)
		if f.Type.Kind() == reflect.Struct {
			if err := applyEnv(fv, name, getenv); err != nil {
				return err
			}
			continue
		}
		s := getenv(name)
		if s == "" {
			continue
		}
		if err := setValue(fv, s); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func setValue(v reflect.Value, s string) error {
	switch {
	case v.Type() == reflect.TypeOf(time.Duration(0)):
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
	case v.Kind() == reflect.String:
		v.SetString(s)
	case v.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		v.SetBool(b)
	case v.Kind() == reflect.Int || v.Kind() == reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return err
		}
		v.SetInt(n)
	case v.Kind() == reflect.Slice:
		return nil // lists are set in the file only
	default:
		return fmt.Errorf("unsupported setting type %s", v.Type())
	}
	return nil
}
