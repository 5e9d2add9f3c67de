package main

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// service is a long-running part of `engage run` (an adapter's receiving loop, the
// dispatcher, the scheduler).
type service interface {
	Run(ctx context.Context) error
}

// adapterSet is what the configured adapters add to the service: their receiving
// loops, their senders for the outbox, and their HTTP handlers (webhooks).
type adapterSet struct {
	services []service
	senders  map[string]bots.Sender
	routes   map[string]http.Handler
}

// buildAdapters makes the adapters the configuration turns on.
func buildAdapters(ctx context.Context, cfg Config, a *app) (*adapterSet, error) {
	set := &adapterSet{senders: map[string]bots.Sender{}, routes: map[string]http.Handler{}}
	if err := addDiscord(cfg, a, set); err != nil {
		return nil, err
	}
	if err := addSlack(cfg, a, set); err != nil {
		return nil, err
	}
	if err := addTelegram(ctx, cfg, a, set); err != nil {
		return nil, err
	}
	return set, nil
}

// runService is `engage run`: the configured adapters, the dispatcher, the
// scheduler and the HTTP listener, until SIGTERM.
func runService(ctx context.Context, args []string, env Env) error {
	fs := flagSet("run", env)
	cfgFile := fs.String("config", "", "configuration file (default: $ENGAGE_CONFIG)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	cfg, err := LoadConfig(configPath(*cfgFile, env.Getenv), env.Getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg.Log, env.Stderr)
	var m *metrics
	a, err := openApp(cfg, time.Now, log, metricsProxy{&m})
	if err != nil {
		return err
	}
	defer a.Close()
	m = newMetrics(a.eng)
	set, err := buildAdapters(ctx, cfg, a)
	if err != nil {
		return err
	}
	if len(set.senders) == 0 {
		fmt.Fprint(env.Stderr, cliText("cli.no_adapter", nil))
		return errors.New("no adapter configured")
	}
	disp := outbox.NewDispatcher(a.eng, a.bot, set.senders, log.With("component", "outbox"), m)
	disp.Notify = true // direct messages waiting for someone to start the bot
	a.bot.OnOutbox(disp.Wake)

	ln, err := net.Listen("tcp", cfg.HTTP.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.HTTP.Addr, err)
	}
	log.Info("http listening", "addr", ln.Addr().String())
	if cfg.HTTP.AdminToken == "" {
		log.Info(backupOff)
	}
	srv := &http.Server{Handler: httpHandler(a, m, set.routes), ReadHeaderTimeout: 10 * time.Second}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, len(set.services)+4)
	start := func(name string, s service) {
		wg.Go(func() {
			if err := s.Run(runCtx); err != nil && runCtx.Err() == nil {
				errs <- fmt.Errorf("%s: %w", name, err)
				cancel()
			}
		})
	}
	for i, s := range set.services {
		start(fmt.Sprintf("adapter %d", i), s)
	}
	start("outbox", disp)
	start("scheduler", a.sched)
	start("event retention", newRetention(a.eng, log.With("component", "retention"), cfg.Store.EventRetention))
	wg.Go(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs <- fmt.Errorf("http: %w", err)
			cancel()
		}
	})
	log.Info("engage running", "version", version)
	<-runCtx.Done()
	log.Info("shutting down")
	shutdown, stop := context.WithTimeout(context.Background(), 15*time.Second)
	defer stop()
	_ = srv.Shutdown(shutdown) // in-flight webhook requests finish
	cancel()
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// metricsProxy lets the bot be built before the metrics, which need its engine.
type metricsProxy struct{ m **metrics }

func (p metricsProxy) Event(platform string, code core.Code) {
	if *p.m != nil {
		(*p.m).Event(platform, code)
	}
}

// httpHandler serves /healthz, /metrics, /backup and the adapters' routes.
func httpHandler(a *app, m *metrics, routes map[string]http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		_, err := isEmpty(ctx, a.eng)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_ = json.NewEncoder(w).Encode(map[string]string{"status": "store unavailable"})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"status": "ok", "version": version})
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		token := a.cfg.HTTP.AdminToken
		if token == "" {
			// Off: nothing tells a caller that a backup could exist here. No
			// loopback trust: behind a reverse proxy every request is local.
			http.Error(w, backupOff, http.StatusNotFound)
			return
		}
		if !adminAllowed(r, token) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		if a.bolt == nil {
			http.Error(w, "backup is for the bbolt store; use the database's own tools", http.StatusNotImplemented)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", `attachment; filename="engage-backup.db"`)
		if _, err := a.bolt.Backup(w); err != nil {
			a.log.Error("backup", "err", err)
		}
	})
	for pattern, h := range routes {
		mux.Handle(pattern, h)
	}
	return mux
}

// backupOff is what /backup answers, and the log says at start, while no admin
// token is set.
const backupOff = "/backup is off: set ENGAGE_HTTP_ADMIN_TOKEN (or http.admin_token) to turn it on"

// adminAllowed lets a request through with the admin token as its Bearer. The
// token and the Bearer are compared as SHA-256 digests in constant time, so that
// neither their content nor their length shows in the answer's timing. Without a
// token nothing is allowed: a reverse proxy on the same host makes every request
// come from the loopback interface, so the source address proves nothing.
func adminAllowed(r *http.Request, token string) bool {
	if token == "" {
		return false
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}
