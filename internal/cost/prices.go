package cost

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/skyform/skyform/blueprints"
)

//go:embed prices.csv
var pricesCSV []byte

// Header is the first line of a price table file.
var Header = []string{"cloud", "region", "sku", "description", "unit", "usd", "source", "read"}

// Price is one row of the price table: what one unit of a SKU costs in one
// of a cloud's regions, and where the figure comes from.
type Price struct {
	Cloud blueprints.Cloud `json:"cloud"`
	// Region is the cloud's own region name (us-east-1, europe-west1, eastus).
	Region string `json:"region"`
	// SKU is skyform's key of the priced item, e.g. aws.sqs.fifo.requests.
	SKU         string `json:"sku"`
	Description string `json:"description"`
	// Unit is what USD buys: "1M requests", "GB-second", "hour", "GB-month".
	Unit string  `json:"unit"`
	USD  float64 `json:"usd"`
	// Source is the price page's address or the price list API file the
	// figure was read from; Read is the date it was read (YYYY-MM-DD, with
	// a note when it is the date of a stored copy).
	Source string `json:"source"`
	Read   string `json:"read"`
}

// Table is a price table indexed by cloud, region and SKU.
type Table struct {
	Rows []Price
	idx  map[string]int
}

func key(c blueprints.Cloud, region, sku string) string { return string(c) + "|" + region + "|" + sku }

// Lookup returns the price of a SKU in a region of a cloud.
func (t *Table) Lookup(c blueprints.Cloud, region, sku string) (Price, bool) {
	i, ok := t.idx[key(c, region, sku)]
	if !ok {
		return Price{}, false
	}
	return t.Rows[i], true
}

// ReadTable parses a price table in CSV: the Header line, then one row per
// cloud, region and SKU. A malformed or duplicate row is an error naming
// its line.
func ReadTable(r io.Reader) (*Table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(Header)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("price table: %w", err)
	}
	if strings.Join(head, ",") != strings.Join(Header, ",") {
		return nil, fmt.Errorf("price table: header is %q, want %q", strings.Join(head, ","), strings.Join(Header, ","))
	}
	t := &Table{idx: map[string]int{}}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("price table: %w", err)
		}
		line, _ := cr.FieldPos(0)
		usd, err := strconv.ParseFloat(rec[5], 64)
		if err != nil || usd < 0 {
			return nil, fmt.Errorf("price table line %d: usd %q is not a price", line, rec[5])
		}
		p := Price{Cloud: blueprints.Cloud(rec[0]), Region: rec[1], SKU: rec[2], Description: rec[3], Unit: rec[4], USD: usd, Source: rec[6], Read: rec[7]}
		if p.Source == "" || p.Read == "" {
			return nil, fmt.Errorf("price table line %d: %s has no source or read date", line, p.SKU)
		}
		k := key(p.Cloud, p.Region, p.SKU)
		if _, dup := t.idx[k]; dup {
			return nil, fmt.Errorf("price table line %d: %s in %s %s listed twice", line, p.SKU, p.Cloud, p.Region)
		}
		t.idx[k] = len(t.Rows)
		t.Rows = append(t.Rows, p)
	}
	return t, nil
}

// WriteTable writes rows as a price table, in the order given.
func WriteTable(w io.Writer, rows []Price) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return err
	}
	for _, p := range rows {
		rec := []string{string(p.Cloud), p.Region, p.SKU, p.Description, p.Unit, strconv.FormatFloat(p.USD, 'f', -1, 64), p.Source, p.Read}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

var (
	embeddedOnce  sync.Once
	embedded      *Table
	embeddedError error
)

// Embedded returns the price table compiled into skyform.
func Embedded() (*Table, error) {
	embeddedOnce.Do(func() {
		embedded, embeddedError = ReadTable(strings.NewReader(string(pricesCSV)))
	})
	return embedded, embeddedError
}
