package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/engage-org/engage/web"
)

// newWeb builds the web pages' server on the app's engine. bots names the bot's
// username per platform, for the deep links of the campaign pages.
func newWeb(a *app, cfg Config, bots map[string]string) (*web.Server, error) {
	cat, err := catalog()
	if err != nil {
		return nil, err
	}
	opt := web.Options{BaseURL: cfg.HTTP.PublicURL, Bots: bots, Log: a.log.With("component", "web")}
	if cfg.Store.Driver == "postgres" {
		// Other instances' changes are not seen by this one's cache: keep pages a
		// short while only.
		opt.MaxAge = 30 * time.Second
	}
	return web.New(a.eng, cat, opt)
}

// mountWeb adds the web pages' routes to routes.
func mountWeb(routes map[string]http.Handler, w *web.Server) {
	for _, p := range web.Patterns() {
		routes[p] = w
	}
}

// runWeb is `engage web`: the public pages of a local database, with no platform
// configured (after `engage console --demo`, the demo community's pages).
func runWeb(ctx context.Context, args []string, env Env) error {
	fs := flagSet("web", env)
	addr := fs.String("addr", "", "the address to listen on (default: http.addr, 127.0.0.1:8080)")
	cfg, err := localConfig(fs, "web", args, env)
	if err != nil {
		return err
	}
	if *addr != "" {
		cfg.HTTP.Addr = *addr
	}
	log := newLogger(cfg.Log, env.Stderr)
	a, err := openApp(cfg, time.Now, log, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	ws, err := newWeb(a, cfg, nil)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.HTTP.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.HTTP.Addr, err)
	}
	fmt.Fprint(env.Stdout, cliText("cli.web", map[string]any{"URL": "http://" + ln.Addr().String()}))
	srv := &http.Server{Handler: ws, ReadHeaderTimeout: 10 * time.Second}
	errs := make(chan error, 1)
	go func() { errs <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shutdown, stop := context.WithTimeout(context.Background(), 5*time.Second)
		defer stop()
		_ = srv.Shutdown(shutdown)
		return nil
	case err := <-errs:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
