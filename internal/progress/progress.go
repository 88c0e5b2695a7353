package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Item is one cloud resource the plan changes.
type Item struct {
	Address string
	Cloud   string
	// Steps is how many completions make it done: 2 for a replacement
	// (destroy and create), 1 otherwise.
	Steps int
}

// Phase is what an event says about a cloud resource.
type Phase string

// The phases terraform reports while applying.
const (
	Start    Phase = "start"
	Running  Phase = "progress"
	Complete Phase = "complete"
	Errored  Phase = "errored"
)

// Event is news about one cloud resource; Line, when set, is printed.
type Event struct {
	Address string
	Cloud   string
	Phase   Phase
	// Elapsed is terraform's own count of the time the operation has run.
	Elapsed time.Duration
	Line    string
}

// Options configure a Meter.
type Options struct {
	// Terminal redraws counters in place; otherwise they are plain lines.
	Terminal bool
	// Width is the terminal's width in columns (0: 80).
	Width int
	// Interval is how often the counters are redrawn on a terminal (0: 1s)
	// or printed as plain lines (0: 10s).
	Interval time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Meter tracks and shows the progress of one apply or destroy.
type Meter struct {
	mu     sync.Mutex
	w      io.Writer
	opts   Options
	start  time.Time
	clouds []*cloud
	items  map[string]*item
	drawn  int
	quit   chan struct{}
	wg     sync.WaitGroup
	closed bool
}

type cloud struct {
	name                string
	total, done, failed int
}

type item struct {
	cloud *cloud
	steps int
	// completed counts completions; started is set while an operation runs.
	completed int
	started   time.Time
	running   bool
}

// New returns a meter over the plan's items, clouds in the order given.
func New(w io.Writer, items []Item, opts Options) *Meter {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Width <= 0 {
		opts.Width = 80
	}
	if opts.Interval <= 0 {
		opts.Interval = 10 * time.Second
		if opts.Terminal {
			opts.Interval = time.Second
		}
	}
	m := &Meter{w: w, opts: opts, items: map[string]*item{}, quit: make(chan struct{})}
	for _, it := range items {
		c := m.cloud(it.Cloud)
		steps := it.Steps
		if steps < 1 {
			steps = 1
		}
		c.total++
		m.items[it.Address] = &item{cloud: c, steps: steps}
	}
	return m
}

func (m *Meter) cloud(name string) *cloud {
	for _, c := range m.clouds {
		if c.name == name {
			return c
		}
	}
	c := &cloud{name: name}
	m.clouds = append(m.clouds, c)
	return c
}

// Start begins the clock and the redrawing (or the periodic counters).
func (m *Meter) Start() {
	m.mu.Lock()
	m.start = m.opts.Now()
	m.draw()
	m.mu.Unlock()
	every := m.opts.Interval
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-m.quit:
				return
			case <-t.C:
				m.mu.Lock()
				if m.opts.Terminal {
					m.erase()
					m.draw()
				} else {
					m.printCounters()
				}
				m.mu.Unlock()
			}
		}
	}()
}

// Event records news about a cloud resource and shows it.
func (m *Meter) Event(e Event) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	it := m.items[e.Address]
	if it == nil {
		c := m.cloud(e.Cloud)
		c.total++
		it = &item{cloud: c, steps: 1}
		m.items[e.Address] = it
	}
	now := m.opts.Now()
	switch e.Phase {
	case Start:
		it.running, it.started = true, now
	case Running:
		if !it.running {
			it.running, it.started = true, now.Add(-e.Elapsed)
		}
	case Complete:
		it.running = false
		it.completed++
		if it.completed == it.steps {
			it.cloud.done++
		}
	case Errored:
		it.running = false
		it.cloud.failed++
	}
	if m.opts.Terminal {
		m.erase()
		if e.Line != "" && e.Phase != Start && e.Phase != Running {
			m.println(e.Line)
		}
		m.draw()
		return
	}
	if e.Line != "" {
		fmt.Fprintln(m.w, e.Line)
	}
}

// Stop ends the redrawing and leaves the final counters.
func (m *Meter) Stop() {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	m.closed = true
	close(m.quit)
	m.mu.Unlock()
	m.wg.Wait()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.opts.Terminal {
		m.erase()
		m.draw()
		m.drawn = 0
		return
	}
	m.printCounters()
}

// Lines returns the counter line of every cloud, as shown.
func (m *Meter) Lines() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lines()
}

func (m *Meter) lines() []string {
	now := m.opts.Now()
	out := make([]string, 0, len(m.clouds))
	for _, c := range m.clouds {
		l := fmt.Sprintf("%s %d/%d %s", c.name, c.done, c.total, clock(now.Sub(m.start)))
		if c.failed > 0 {
			l += fmt.Sprintf(" %d failed", c.failed)
		}
		if addr, d, ok := m.slowest(c, now); ok {
			l += " slowest: " + describe(addr) + " " + clock(d)
		}
		out = append(out, l)
	}
	return out
}

// slowest is the cloud's operation running the longest (ties by address).
func (m *Meter) slowest(c *cloud, now time.Time) (string, time.Duration, bool) {
	var best string
	var bestStart time.Time
	for addr, it := range m.items {
		if it.cloud != c || !it.running {
			continue
		}
		if best == "" || it.started.Before(bestStart) || it.started.Equal(bestStart) && addr < best {
			best, bestStart = addr, it.started
		}
	}
	return best, now.Sub(bestStart), best != ""
}

// describe writes module.orders_db.aws_db_instance.this as
// "module.orders_db (aws_db_instance.this)".
func describe(addr string) string {
	if !strings.HasPrefix(addr, "module.") {
		return addr
	}
	rest := addr[len("module."):]
	i := strings.IndexByte(rest, '.')
	if i < 0 {
		return addr
	}
	return "module." + rest[:i] + " (" + rest[i+1:] + ")"
}

// clock writes a duration as mm:ss, or h:mm:ss past an hour.
func clock(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s < 0 {
		s = 0
	}
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

func (m *Meter) printCounters() {
	for _, l := range m.lines() {
		fmt.Fprintln(m.w, "progress: "+l)
	}
}

// draw writes the counters below the cursor (terminal only).
func (m *Meter) draw() {
	if !m.opts.Terminal {
		return
	}
	ls := m.lines()
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(cut(l, m.opts.Width-1))
		b.WriteString("\n")
	}
	io.WriteString(m.w, b.String())
	m.drawn = len(ls)
}

// erase moves the cursor up over the counters and clears to the end of
// the screen (terminal only).
func (m *Meter) erase() {
	if m.drawn > 0 {
		fmt.Fprintf(m.w, "\x1b[%dA\x1b[J", m.drawn)
		m.drawn = 0
	}
}

func (m *Meter) println(l string) {
	io.WriteString(m.w, l+"\n")
}

// cut shortens a line to n columns (runes), marking the cut with "…".
func cut(s string, n int) string {
	if n < 1 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
