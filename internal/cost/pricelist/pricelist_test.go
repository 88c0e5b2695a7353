package pricelist

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	"github.com/skyform/skyform/internal/cost"
	"github.com/skyform/skyform/providers"
)

func readFile(t *testing.T, c blueprints.Cloud, name string) File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pf, err := Read(c, f)
	if err != nil {
		t.Fatal(err)
	}
	return pf
}

func sizes() map[blueprints.Cloud][]providers.SizeMapping {
	out := map[blueprints.Cloud][]providers.SizeMapping{}
	for _, c := range compiler.Clouds() {
		out[c.Name()] = c.Sizes()
	}
	return out
}

type row struct {
	Cloud  blueprints.Cloud
	Region string
	SKU    string
	USD    float64
	Unit   string
}

// The fixtures have the shape of the real files (an AWS offer file, a
// Cloud Billing Catalog SKU list, an Azure Retail Prices page): the rules
// pick the right product, the first paid tier, the region, and convert the
// unit; Windows, spot, preemptible and reservation prices are left out.
func TestGenerate(t *testing.T) {
	files := []File{
		readFile(t, blueprints.AWS, "aws-sqs.json"),
		readFile(t, blueprints.AWS, "aws-ec2.json"),
		readFile(t, blueprints.GCP, "gcp-skus.json"),
		readFile(t, blueprints.Azure, "azure-page.json"),
	}
	got := Generate(Rules(sizes()), files, "2026-12-02")
	var rows []row
	for _, p := range got {
		rows = append(rows, row{p.Cloud, p.Region, p.SKU, p.USD, p.Unit})
		if p.Read != "2026-12-02" || p.Source == "" {
			t.Errorf("%s %s: read %q, source %q", p.SKU, p.Region, p.Read, p.Source)
		}
	}
	want := []row{
		{"aws", "eu-west-1", "aws.sqs.standard.requests", 0.4, "1M requests"},
		{"aws", "us-east-1", "aws.sqs.standard.requests", 0.4, "1M requests"},
		{"aws", "us-east-1", "aws.sqs.fifo.requests", 0.5, "1M requests"},
		{"aws", "us-east-1", "aws.vpc.nat", 0.045, "hour"},
		{"gcp", "asia-northeast1", "gcp.pubsub.throughput", 40, "TiB"},
		{"gcp", "asia-southeast1", "gcp.pubsub.throughput", 40, "TiB"},
		{"gcp", "australia-southeast1", "gcp.pubsub.throughput", 40, "TiB"},
		{"gcp", "europe-north1", "gcp.pubsub.throughput", 40, "TiB"},
		{"gcp", "europe-west1", "gcp.pubsub.throughput", 40, "TiB"},
		{"gcp", "europe-west3", "gcp.pubsub.throughput", 40, "TiB"},
		{"gcp", "southamerica-east1", "gcp.pubsub.throughput", 40, "TiB"},
		{"gcp", "us-east1", "gcp.pubsub.throughput", 40, "TiB"},
		{"gcp", "us-west1", "gcp.pubsub.throughput", 40, "TiB"},
		{"azure", "westeurope", "azure.functions.flex.memory", 0.000026, "GB-second"},
		{"azure", "westeurope", "azure.functions.flex.executions", 0.4, "1M executions"},
		{"aws", "us-east-1", "aws.ec2.m7i.large", 0.1008, "hour"},
		// e2-standard-4: 4 x $0.02181159 per vCPU-hour + 16 x $0.00292353 per GiB-hour.
		{"gcp", "us-east1", "gcp.gce.e2-standard-2", 0.06701142, "hour"},
		{"gcp", "us-east1", "gcp.gce.e2-standard-4", 0.13402284, "hour"},
		{"gcp", "us-east1", "gcp.gce.e2-standard-8", 0.26804568, "hour"},
		{"gcp", "us-east1", "gcp.gce.e2-standard-16", 0.53609136, "hour"},
		{"azure", "eastus", "azure.vm.Standard_D4s_v5", 0.192, "hour"},
	}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("generated rows (-want +got):\n%s", d)
	}
	for _, p := range got {
		if p.SKU == "aws.sqs.standard.requests" && !strings.Contains(p.Source, "AWS Price List API: AWSQueueService offer file") {
			t.Errorf("source = %q", p.Source)
		}
	}
}

// Generated rows replace the researched ones of the same cloud, region and
// SKU; the others stay, and new ones are appended.
func TestMerge(t *testing.T) {
	base := []cost.Price{
		{Cloud: "aws", Region: "us-east-1", SKU: "aws.a", USD: 1, Source: "page", Read: "2026-12-01"},
		{Cloud: "aws", Region: "us-east-1", SKU: "aws.b", USD: 2, Source: "page", Read: "2026-12-01"},
	}
	gen := []cost.Price{
		{Cloud: "aws", Region: "us-east-1", SKU: "aws.b", USD: 3, Source: "API", Read: "2026-12-02"},
		{Cloud: "aws", Region: "eu-west-1", SKU: "aws.b", USD: 4, Source: "API", Read: "2026-12-02"},
	}
	want := []cost.Price{base[0], gen[0], gen[1]}
	if d := cmp.Diff(want, Merge(base, gen)); d != "" {
		t.Errorf("merge (-want +got):\n%s", d)
	}
}

func TestReadErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		cloud blueprints.Cloud
		in    string
		want  string
	}{
		"aws not an offer": {blueprints.AWS, `{"skus": []}`, "no offerCode"},
		"gcp not skus":     {blueprints.GCP, `{"Items": []}`, "no skus"},
		"azure not a page": {blueprints.Azure, `{"products": {}}`, "no Items"},
		"malformed":        {blueprints.AWS, `{`, "AWS offer file"},
		"unknown cloud":    {"ibm", `{}`, `unknown cloud "ibm"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Read(tc.cloud, strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// Every SKU the estimator can ask for from a size table has a rule, so
// `make prices` can fill it from the price lists.
func TestRulesCoverSizeTables(t *testing.T) {
	have := map[string]bool{}
	for _, r := range Rules(sizes()) {
		if have[r.SKU] {
			t.Errorf("two rules for %s", r.SKU)
		}
		have[r.SKU] = true
		if len(r.Parts) == 0 {
			t.Errorf("%s: no parts", r.SKU)
		}
	}
	for c, ms := range sizes() {
		for _, m := range ms {
			var sku string
			switch {
			case c == blueprints.AWS && m.Kind == blueprints.KindDatabase:
				sku = "aws.rds.postgres." + m.Type
			case c == blueprints.AWS:
				sku = "aws.ec2." + m.Type
			case c == blueprints.GCP && m.Kind == blueprints.KindCluster:
				sku = "gcp.gce." + m.Type
			case c == blueprints.Azure && m.Kind == blueprints.KindCluster:
				sku = "azure.vm." + m.Type
			case c == blueprints.Azure:
				sku = "azure.postgres." + m.Type
			default:
				continue
			}
			if !have[sku] {
				t.Errorf("no rule for %s", sku)
			}
		}
	}
}
