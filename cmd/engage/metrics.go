package main

import (
	"context"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the service's Prometheus figures: events handled, errors by code,
// messages sent, and the outbox's depth and age (read at each scrape).
type metrics struct {
	reg    *prometheus.Registry
	events *prometheus.CounterVec
	errors *prometheus.CounterVec
	sent   *prometheus.CounterVec
}

func newMetrics(eng *core.Engine) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "engage_events_total", Help: "Events handled, by platform.",
		}, []string{"platform"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "engage_event_errors_total", Help: "Events refused or failed, by error code.",
		}, []string{"code"}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "engage_messages_sent_total", Help: "Outbox sends, by platform and outcome.",
		}, []string{"platform", "outcome"}),
	}
	m.reg.MustRegister(m.events, m.errors, m.sent, &outboxCollector{eng: eng},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Event implements bots.Metrics.
func (m *metrics) Event(platform string, code core.Code) {
	m.events.WithLabelValues(platform).Inc()
	if code != "" {
		m.errors.WithLabelValues(string(code)).Inc()
	}
}

// Sent implements outbox.DispatchMetrics.
func (m *metrics) Sent(platform string, err error) {
	outcome := "ok"
	if err != nil {
		outcome = string(core.ErrorCode(err))
	}
	m.sent.WithLabelValues(platform, outcome).Inc()
}

// outboxCollector reads the outbox's depth and the age of its oldest message.
type outboxCollector struct{ eng *core.Engine }

var (
	outboxDepth = prometheus.NewDesc("engage_outbox_depth", "Messages waiting in the outbox.", nil, nil)
	outboxAge   = prometheus.NewDesc("engage_outbox_oldest_seconds", "Age of the oldest message waiting in the outbox.", nil, nil)
)

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- outboxDepth; ch <- outboxAge }

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var n int
	var age time.Duration
	if err := c.eng.View(ctx, func(tx *core.Tx) error {
		var err error
		n, age, err = tx.OutboxStats()
		return err
	}); err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxDepth, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(outboxAge, prometheus.GaugeValue, age.Seconds())
}
