package diag

import (
	"encoding/json"
	"slices"
	"strconv"
)

// AppendJSON appends the diagnostics as json.Marshal writes them, without
// its reflection: a large blueprint's report holds tens of thousands.
// Nil diagnostics are null, as json.Marshal writes a nil slice.
func (ds Diagnostics) AppendJSON(b []byte) []byte {
	if ds == nil {
		return append(b, "null"...)
	}
	// Grown once to about what is appended: growing by doubling copies
	// tens of megabytes and touches twice the memory.
	n := 2
	for _, d := range ds {
		if d != nil {
			n += len(d.Summary) + len(d.Detail) + len(d.Path) + len(d.Range.File) + 96
			for _, r := range d.Related {
				n += len(r.Message) + len(r.Range.File) + 64
			}
		}
	}
	b = slices.Grow(b, n)
	b = append(b, '[')
	for i, d := range ds {
		if i > 0 {
			b = append(b, ',')
		}
		if d == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, `{"severity":`...)
		b = appendString(b, d.Severity.String())
		b = append(b, `,"summary":`...)
		b = appendString(b, d.Summary)
		if d.Detail != "" {
			b = append(b, `,"detail":`...)
			b = appendString(b, d.Detail)
		}
		if d.Path != "" {
			b = append(b, `,"path":`...)
			b = appendString(b, d.Path)
		}
		b = append(b, `,"range":`...)
		b = appendRange(b, d.Range)
		if len(d.Related) > 0 {
			b = append(b, `,"related":[`...)
			for j, r := range d.Related {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"message":`...)
				b = appendString(b, r.Message)
				b = append(b, `,"range":`...)
				b = appendRange(b, r.Range)
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendRange(b []byte, r Range) []byte {
	b = append(b, `{"file":`...)
	b = appendString(b, r.File)
	b = append(b, `,"start":{"line":`...)
	b = strconv.AppendInt(b, int64(r.Start.Line), 10)
	b = append(b, `,"column":`...)
	b = strconv.AppendInt(b, int64(r.Start.Column), 10)
	return append(b, "}}"...)
}

// appendString appends s as a JSON string, escaped as json.Marshal escapes
// it (HTML characters included). Printable ASCII without quotes,
// backslashes or HTML characters, nearly every message, is copied as it is;
// anything else goes through json.Marshal.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
