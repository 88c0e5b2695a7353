package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time      { return c.t }
func (c *fakeClock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *fakeClock               { return &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }
func plan() []Item {
	return []Item{
		{Address: "module.orders_db.aws_db_instance.this", Cloud: "aws"},
		{Address: "module.orders.aws_sqs_queue.this", Cloud: "aws", Steps: 2},
		{Address: "module.compute.google_container_cluster.this", Cloud: "gcp"},
	}
}

// TestCounters follows a run: done out of total per cloud, the time since
// the start, the slowest operation still running; a replacement is done
// after both halves.
func TestCounters(t *testing.T) {
	clk := newClock()
	var out bytes.Buffer
	m := New(&out, plan(), Options{Now: clk.now, Interval: time.Hour})
	m.Start()
	defer m.Stop()
	want := func(lines ...string) {
		t.Helper()
		if got := m.Lines(); strings.Join(got, "\n") != strings.Join(lines, "\n") {
			t.Errorf("counters:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(lines, "\n"))
		}
	}
	want("aws 0/2 00:00", "gcp 0/1 00:00")
	m.Event(Event{Address: "module.orders_db.aws_db_instance.this", Phase: Start})
	clk.add(5 * time.Second)
	m.Event(Event{Address: "module.orders.aws_sqs_queue.this", Phase: Start})
	clk.add(20 * time.Second)
	want("aws 0/2 00:25 slowest: module.orders_db (aws_db_instance.this) 00:25", "gcp 0/1 00:25")
	m.Event(Event{Address: "module.orders.aws_sqs_queue.this", Phase: Complete})
	want("aws 0/2 00:25 slowest: module.orders_db (aws_db_instance.this) 00:25", "gcp 0/1 00:25")
	m.Event(Event{Address: "module.orders.aws_sqs_queue.this", Phase: Start})
	m.Event(Event{Address: "module.orders.aws_sqs_queue.this", Phase: Complete})
	m.Event(Event{Address: "module.orders_db.aws_db_instance.this", Phase: Complete})
	// terraform reports an operation skyform did not see start.
	m.Event(Event{Address: "module.compute.google_container_cluster.this", Phase: Running, Elapsed: 10 * time.Second})
	clk.add(time.Hour + 10*time.Second)
	want("aws 2/2 1:00:35", "gcp 0/1 1:00:35 slowest: module.compute (google_container_cluster.this) 1:00:20")
	m.Event(Event{Address: "module.compute.google_container_cluster.this", Phase: Errored})
	m.Event(Event{Address: "module.extra.google_pubsub_topic.this", Cloud: "gcp", Phase: Complete})
	want("aws 2/2 1:00:35", "gcp 1/2 1:00:35 1 failed")
}

// TestPlain prints every line as it comes and the counters as plain
// lines, at the end too; nothing is redrawn.
func TestPlain(t *testing.T) {
	clk := newClock()
	var out bytes.Buffer
	m := New(&out, plan()[:1], Options{Now: clk.now, Interval: time.Hour})
	m.Start()
	m.Event(Event{Address: "module.orders_db.aws_db_instance.this", Phase: Start, Line: "orders-db: creating..."})
	clk.add(3 * time.Second)
	m.Event(Event{Address: "module.orders_db.aws_db_instance.this", Phase: Complete, Line: "orders-db: created"})
	m.Stop()
	want := "orders-db: creating...\norders-db: created\nprogress: aws 1/1 00:03\n"
	if out.String() != want {
		t.Errorf("plain output:\n%q\nwant\n%q", out.String(), want)
	}
}

// TestTerminal redraws the counters in place, prints only finished work
// above them, cuts lines to the width and leaves the counters at the end.
func TestTerminal(t *testing.T) {
	clk := newClock()
	var out bytes.Buffer
	m := New(&out, plan(), Options{Now: clk.now, Terminal: true, Width: 40, Interval: time.Hour})
	m.Start()
	m.Event(Event{Address: "module.orders_db.aws_db_instance.this", Phase: Start, Line: "orders-db: creating..."})
	clk.add(2 * time.Second)
	m.Event(Event{Address: "module.orders_db.aws_db_instance.this", Phase: Complete, Line: "orders-db: created"})
	m.Stop()
	up := "\x1b[2A\x1b[J"
	want := "aws 0/2 00:00\ngcp 0/1 00:00\n" +
		up + "aws 0/2 00:00 slowest: module.orders_d…\ngcp 0/1 00:00\n" +
		up + "orders-db: created\naws 1/2 00:02\ngcp 0/1 00:02\n" +
		up + "aws 1/2 00:02\ngcp 0/1 00:02\n"
	if out.String() != want {
		t.Errorf("terminal output:\n%q\nwant\n%q", out.String(), want)
	}
}

func TestClock(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "00:00", 1500 * time.Millisecond: "00:02", 61 * time.Second: "01:01",
		59*time.Minute + 59*time.Second: "59:59", 2*time.Hour + 3*time.Minute + 4*time.Second: "2:03:04",
	} {
		if got := clock(d); got != want {
			t.Errorf("clock(%v) = %s, want %s", d, got, want)
		}
	}
}
