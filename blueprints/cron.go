package blueprints

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// The fields of a cron schedule, in the order they are written.
const (
	CronMinute = iota
	CronHour
	CronDay
	CronMonth
	CronWeekday
)

// cronSpec describes one field: its name, its values and the names a value
// may be written as (index 0 names the field's lowest value).
type cronSpec struct {
	name, plural string
	min, max     int
	names        []string
}

var cronSpecs = [5]cronSpec{
	{"minute", "minutes", 0, 59, nil},
	{"hour", "hours", 0, 23, nil},
	{"day of month", "days of the month", 1, 31, nil},
	{"month", "months", 1, 12, []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	// 7 is accepted as Sunday too and folded into 0.
	{"day of week", "days of the week", 0, 6, []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}},
}

// cronMacros are the shorthands standard cron accepts for whole expressions.
var cronMacros = map[string]string{
	"@yearly":   "0 0 1 1 *",
	"@annually": "0 0 1 1 *",
	"@monthly":  "0 0 1 * *",
	"@weekly":   "0 0 * * 0",
	"@daily":    "0 0 * * *",
	"@midnight": "0 0 * * *",
	"@hourly":   "0 * * * *",
}

// Cron is a five-field cron schedule in standard syntax (minute, hour, day
// of month, month, day of week), expanded to the values each field allows.
type Cron struct {
	// Text is the expression as written.
	Text   string
	Fields [5]CronField
}

// CronField is the set of values one field of a schedule allows.
type CronField struct {
	// Bits has bit v set when value v is allowed; the day of week counts
	// from Sunday = 0.
	Bits uint64
	// Star is set when the field was written starting with "*" ("*" or
	// "*/n"); for the two day fields this decides how they combine (see Days).
	Star bool
	// Text is the field as written with names replaced by numbers and
	// Sunday always 0: standard syntax every unix-cron reader takes.
	Text string
}

// CronError is a mistake in a cron expression: Offset is the byte of the
// expression it points at.
type CronError struct {
	Offset          int
	Summary, Detail string
}

func (e *CronError) Error() string { return e.Summary + ": " + e.Detail }

// Has reports whether value v is allowed.
func (f CronField) Has(v int) bool { return v >= 0 && v < 64 && f.Bits&(1<<uint(v)) != 0 }

// Values lists the allowed values in increasing order.
func (f CronField) Values() []int {
	var out []int
	for b := f.Bits; b != 0; b &= b - 1 {
		out = append(out, bits.TrailingZeros64(b))
	}
	return out
}

// CronFull returns the field holding every value of field i.
func CronFull(i int) CronField {
	s := cronSpecs[i]
	return CronField{Bits: span(s.min, s.max, 1), Star: true}
}

// Full reports whether field i allows every value.
func (c Cron) Full(i int) bool { return c.Fields[i].Bits == CronFull(i).Bits }

// DayRule is how a schedule picks its days.
type DayRule int

// The day rules. Standard cron runs on a day that matches both day fields
// when either was written starting with "*", and on a day that matches
// either of them when neither was.
const (
	EveryDay DayRule = iota
	ByMonthDay
	ByWeekday
	MonthDayAndWeekday
	MonthDayOrWeekday
)

// Days says how the schedule picks its days.
func (c Cron) Days() DayRule {
	dom, dow := c.Fields[CronDay], c.Fields[CronWeekday]
	domAll, dowAll := c.Full(CronDay), c.Full(CronWeekday)
	if dom.Star || dow.Star {
		switch {
		case domAll && dowAll:
			return EveryDay
		case dowAll:
			return ByMonthDay
		case domAll:
			return ByWeekday
		}
		return MonthDayAndWeekday
	}
	if domAll || dowAll {
		return EveryDay
	}
	return MonthDayOrWeekday
}

// ParseCron parses a five-field cron expression in standard syntax: each
// field is "*" or a comma-separated list of values and ranges (a-b), each
// optionally with a step (/n); months and days of week may be written as
// JAN-DEC and SUN-SAT, and the day of week as 0-7 with both 0 and 7 meaning
// Sunday. @yearly, @monthly, @weekly, @daily and @hourly stand for their
// expressions.
func ParseCron(s string) (Cron, *CronError) {
	c := Cron{Text: s}
	expr, base := s, 0
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "@") {
		m, ok := cronMacros[strings.ToLower(t)]
		if !ok {
			return c, &CronError{strings.Index(s, "@"), fmt.Sprintf("unknown cron shorthand %q", t), "the shorthands are @yearly, @annually, @monthly, @weekly, @daily, @midnight and @hourly"}
		}
		expr, base = m, -1
	}
	type word struct {
		text string
		off  int
	}
	var words []word
	for i := 0; i < len(expr); {
		if expr[i] == ' ' || expr[i] == '\t' {
			i++
			continue
		}
		j := i
		for j < len(expr) && expr[j] != ' ' && expr[j] != '\t' {
			j++
		}
		words = append(words, word{expr[i:j], i})
		i = j
	}
	if len(words) != 5 {
		off := 0
		if len(words) > 5 {
			off = words[5].off
		}
		return c, &CronError{off, fmt.Sprintf("a cron schedule has 5 fields, not %d", len(words)),
			"write minute hour day-of-month month day-of-week, e.g. \"0 14 * * SAT\" for 14:00 every Saturday; seconds and years are not part of it"}
	}
	for i, w := range words {
		f, err := parseCronField(i, w.text)
		if err != nil {
			if base < 0 {
				err.Offset = 0
			} else {
				err.Offset += w.off
			}
			return c, err
		}
		c.Fields[i] = f
	}
	return c, nil
}

func parseCronField(i int, text string) (CronField, *CronError) {
	spec := cronSpecs[i]
	var f CronField
	f.Star = strings.HasPrefix(text, "*")
	off := 0
	var norm []string
	for _, item := range strings.Split(text, ",") {
		b, n, err := parseCronItem(i, item)
		if err != nil {
			err.Offset += off
			return f, err
		}
		f.Bits |= b
		norm = append(norm, n)
		off += len(item) + 1
	}
	if i == CronWeekday && f.Bits&(1<<7) != 0 {
		f.Bits = f.Bits&^(1<<7) | 1
	}
	f.Text = strings.Join(norm, ",")
	if spec.max < 64 && f.Bits&^span(spec.min, spec.max, 1) != 0 {
		panic("cron field beyond its range") // parseCronItem bounds every value
	}
	return f, nil
}

// parseCronItem parses one comma-separated item of field i into its values
// and its normalized text.
func parseCronItem(i int, item string) (uint64, string, *CronError) {
	b, err := cronItemBits(i, item)
	if err != nil {
		return 0, "", err
	}
	norm := item
	if !strings.HasPrefix(item, "*") {
		// Names become numbers, and a Sunday written 7 becomes 0: the
		// values are listed again.
		norm = formatValues(i, foldSunday(i, b), CronStyle{})
		if r, step, ok := strings.Cut(item, "/"); ok && i != CronWeekday {
			lo, hi, _ := strings.Cut(r, "-")
			l, _ := cronValue(cronSpecs[i], cronSpecs[i].max, lo, "")
			h, _ := cronValue(cronSpecs[i], cronSpecs[i].max, hi, "")
			norm = fmt.Sprintf("%d-%d/%s", l, h, step)
		}
	}
	return b, norm, nil
}

func foldSunday(i int, b uint64) uint64 {
	if i == CronWeekday && b&(1<<7) != 0 {
		return b&^(1<<7) | 1
	}
	return b
}

// cronItemBits parses one comma-separated item of field i into its values.
func cronItemBits(i int, item string) (uint64, *CronError) {
	spec := cronSpecs[i]
	max := spec.max
	if i == CronWeekday {
		max = 7
	}
	allowed := fmt.Sprintf("%s are %d-%d", spec.plural, spec.min, max)
	if len(spec.names) > 0 {
		allowed += fmt.Sprintf(" or %s-%s", spec.names[0], spec.names[len(spec.names)-1])
	}
	if i == CronWeekday {
		allowed += " (0 and 7 are Sunday)"
	}
	if item == "" {
		return 0, &CronError{0, "empty item in the cron " + spec.name + " field", "separate values with single commas, e.g. 1,15"}
	}
	rangePart, stepPart, hasStep := strings.Cut(item, "/")
	step := 1
	if hasStep {
		n, err := strconv.Atoi(stepPart)
		if err != nil || n < 1 || n > max-spec.min+1 {
			return 0, &CronError{len(rangePart) + 1, fmt.Sprintf("invalid step %q in the cron %s field", stepPart, spec.name),
				fmt.Sprintf("a step is a whole number from 1 to %d, as in */15", max-spec.min+1)}
		}
		step = n
	}
	lo, hi := spec.min, max
	switch {
	case rangePart == "*":
	default:
		a, b, isRange := strings.Cut(rangePart, "-")
		if a == "" {
			a, isRange = rangePart, false
		}
		v, err := cronValue(spec, max, a, allowed)
		if err != nil {
			return 0, err
		}
		lo, hi = v, v
		if isRange {
			w, err := cronValue(spec, max, b, allowed)
			if err != nil {
				err.Offset += len(a) + 1
				return 0, err
			}
			if w < v {
				return 0, &CronError{0, fmt.Sprintf("backward range %q in the cron %s field", rangePart, spec.name),
					fmt.Sprintf("a range runs from the lower value to the higher one, e.g. %s; write a list of two ranges to wrap around", cronRangeExample(i))}
			}
			hi = w
		} else if hasStep {
			return 0, &CronError{0, fmt.Sprintf("step without a range in %q", item),
				fmt.Sprintf("a step applies to * or a range: write */%d or %s-%d/%d", step, a, max, step)}
		}
	}
	return span(lo, hi, step), nil
}

func cronRangeExample(i int) string {
	switch i {
	case CronMonth:
		return "MAR-OCT"
	case CronWeekday:
		return "MON-FRI"
	}
	return "9-17"
}

func cronValue(spec cronSpec, max int, s, allowed string) (int, *CronError) {
	if n, err := strconv.Atoi(s); err == nil && s != "" && s[0] != '+' && s[0] != '-' {
		if n < spec.min || n > max {
			return 0, &CronError{0, fmt.Sprintf("%s %d out of range", spec.name, n), allowed}
		}
		return n, nil
	}
	for k, name := range spec.names {
		if strings.EqualFold(s, name) {
			return spec.min + k, nil
		}
	}
	if up := strings.ToUpper(s); up == "?" || strings.Contains(up, "#") || strings.HasSuffix(up, "L") || strings.HasSuffix(up, "W") {
		return 0, &CronError{0, fmt.Sprintf("%q is not standard cron", s),
			"?, L, W and # belong to other cron dialects; a schedule uses the standard syntax (* , - / and names), which every cloud is given in its own form"}
	}
	return 0, &CronError{0, fmt.Sprintf("invalid %s %q", spec.name, s), allowed}
}

func span(lo, hi, step int) uint64 {
	var b uint64
	for v := lo; v <= hi; v += step {
		b |= 1 << uint(v)
	}
	return b
}

// CronStyle says how a cloud writes the fields of a cron expression.
type CronStyle struct {
	// StepFrom writes a step over the whole field as "<lowest>/n" rather
	// than "*/n".
	StepFrom bool
	// WeekdayBase is added to the day of week (Sunday = 0) when it is
	// written as a number; WeekdayNames writes names (SUN-SAT) instead.
	WeekdayBase  int
	WeekdayNames bool
}

// Format writes field i in a cron dialect's syntax: "*", a step over the
// whole field, or a list of values and ranges.
func (c Cron) Format(i int, st CronStyle) string {
	f := c.Fields[i]
	spec := cronSpecs[i]
	if c.Full(i) {
		return "*"
	}
	vals := f.Values()
	// EventBridge has no step in the day of week; a list reads as well.
	if f.Star && len(vals) > 1 && i != CronWeekday {
		if step := vals[1] - vals[0]; vals[0] == spec.min && span(spec.min, spec.max, step) == f.Bits {
			if st.StepFrom {
				return fmt.Sprintf("%d/%d", spec.min, step)
			}
			return fmt.Sprintf("*/%d", step)
		}
	}
	return formatValues(i, f.Bits, st)
}

// formatValues lists values as single values and ranges.
func formatValues(i int, b uint64, st CronStyle) string {
	spec := cronSpecs[i]
	vals := CronField{Bits: b}.Values()
	name := func(v int) string {
		if i == CronWeekday {
			if st.WeekdayNames {
				return spec.names[v]
			}
			return strconv.Itoa(v + st.WeekdayBase)
		}
		return strconv.Itoa(v)
	}
	var parts []string
	for k := 0; k < len(vals); {
		j := k
		for j+1 < len(vals) && vals[j+1] == vals[j]+1 {
			j++
		}
		switch {
		case j == k:
			parts = append(parts, name(vals[k]))
		case j == k+1:
			parts = append(parts, name(vals[k]), name(vals[j]))
		default:
			parts = append(parts, name(vals[k])+"-"+name(vals[j]))
		}
		k = j + 1
	}
	return strings.Join(parts, ",")
}

// Standard writes the schedule back in standard syntax with numbers only
// (names replaced, Sunday always 0), field by field as written, so that
// whether a day field starts with "*" (which decides how the two combine)
// is kept.
func (c Cron) Standard() string {
	out := make([]string, 5)
	for i, f := range c.Fields {
		out[i] = f.Text
	}
	return strings.Join(out, " ")
}
