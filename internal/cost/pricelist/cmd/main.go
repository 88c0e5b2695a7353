// Command pricelist regenerates rows of skyform's price table from the
// clouds' public price list files (`make prices`):
//
//	go run ./internal/cost/pricelist/cmd -table internal/cost/prices.csv aws=index.json gcp=skus.json azure=page1.json ...
//
// Rows the files price replace the table's rows of the same cloud, region
// and SKU, with the file as their source and today as the date read;
// every other row is kept. It prints what changed.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	"github.com/skyform/skyform/internal/cost"
	"github.com/skyform/skyform/internal/cost/pricelist"
	"github.com/skyform/skyform/providers"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "pricelist:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("pricelist", flag.ContinueOnError)
	tablePath := fs.String("table", "internal/cost/prices.csv", "the price table to update")
	read := fs.String("read", time.Now().UTC().Format("2006-01-02"), "the date to record as read")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("no price list files; give cloud=FILE arguments (aws=AmazonEC2.json gcp=skus.json azure=prices.json)")
	}
	var files []pricelist.File
	for _, a := range fs.Args() {
		c, path, ok := strings.Cut(a, "=")
		if !ok {
			return fmt.Errorf("%q: want cloud=FILE", a)
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		pf, err := pricelist.Read(blueprints.Cloud(c), f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		files = append(files, pf)
	}
	sizes := map[blueprints.Cloud][]providers.SizeMapping{}
	for _, c := range compiler.Clouds() {
		sizes[c.Name()] = c.Sizes()
	}
	src, err := os.ReadFile(*tablePath)
	if err != nil {
		return err
	}
	base, err := cost.ReadTable(bytes.NewReader(src))
	if err != nil {
		return err
	}
	gen := pricelist.Generate(pricelist.Rules(sizes), files, *read)
	rows := pricelist.Merge(base.Rows, gen)
	var out bytes.Buffer
	if err := cost.WriteTable(&out, rows); err != nil {
		return err
	}
	if err := os.WriteFile(*tablePath, out.Bytes(), 0o644); err != nil {
		return err
	}
	for _, p := range gen {
		fmt.Printf("%s %s %s = %v per %s\n", p.Cloud, p.Region, p.SKU, p.USD, p.Unit)
	}
	fmt.Printf("%d rows from the price lists; %d rows in %s\n", len(gen), len(rows), *tablePath)
	return nil
}
