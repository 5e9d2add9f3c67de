package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Ensure every setting can be given by the environment, named after its path, and
// overrides the file.
func TestLoadConfig_Env(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "engage.yaml")
	if err := os.WriteFile(file, []byte("store:\n  path: from-file.db\ntelegram:\n  api_url: http://file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"ENGAGE_STORE_PATH":       "from-env.db",
		"ENGAGE_TELEGRAM_API_URL": "http://fake-telegram",
		"ENGAGE_TELEGRAM_TOKEN":   "123:secret",
		"ENGAGE_LLM_TIMEOUT":      "3s",
		"ENGAGE_DISCORD_SHARD_ID": "2",
	}
	cfg, err := LoadConfig(file, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Store.Path != "from-env.db" || cfg.Telegram.APIURL != "http://fake-telegram" || cfg.Telegram.Token != "123:secret" ||
		cfg.LLM.Timeout != 3*time.Second || cfg.Discord.ShardID != 2 {
		t.Fatalf("got %+v", cfg)
	}
	if _, err := LoadConfig(file, func(k string) string {
		if k == "ENGAGE_LLM_TIMEOUT" {
			return "soon"
		}
		return ""
	}); err == nil || !strings.Contains(err.Error(), "ENGAGE_LLM_TIMEOUT") {
		t.Fatalf("a bad value: got %v", err)
	}
}

// Ensure config.example.yaml documents every setting and is itself a valid
// configuration.
func TestConfigExample(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig("../../config.example.yaml", func(string) string { return "" }); err != nil {
		t.Fatalf("the example does not load: %v", err)
	}
	for _, name := range EnvNames() {
		// ENGAGE_TELEGRAM_API_URL → telegram: … api_url:
		parts := strings.Split(strings.ToLower(strings.TrimPrefix(name, "ENGAGE_")), "_")
		found := false
		for i := 1; i < len(parts); i++ {
			section, field := strings.Join(parts[:i], "_"), strings.Join(parts[i:], "_")
			if strings.Contains(string(raw), "\n"+section+":") && strings.Contains(string(raw), " "+field+":") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s is not in config.example.yaml", name)
		}
	}
}
