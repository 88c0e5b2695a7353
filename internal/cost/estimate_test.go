package cost

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
)

const tableHead = "cloud,region,sku,description,unit,usd,source,read\n"

func table(t *testing.T, rows string) *Table {
	t.Helper()
	tb, err := ReadTable(strings.NewReader(tableHead + rows))
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func find(t *testing.T, rep *Report, c blueprints.Cloud, resource, sku string) Item {
	t.Helper()
	for _, it := range rep.Items {
		if it.Cloud == c && it.Resource == resource && it.SKU == sku {
			return it
		}
	}
	t.Fatalf("no item %s of %s on %s in %+v", sku, resource, c, rep.Items)
	return Item{}
}

func total(rep *Report, c blueprints.Cloud, region string) Total {
	for _, t := range rep.Totals {
		if t.Cloud == c && t.Region == region {
			return t
		}
	}
	return Total{}
}

const queueAndFunction = `blueprint: shop
region: us-east
resources:
  jobs: {kind: queue}
  work:
    kind: function
    runtime: python3.12
    source: ./fn
    memory_mb: 512
    triggers: [{queue: jobs}]
`

// A SKU missing from the table is reported per region, counted in the
// totals, and never priced as zero.
func TestMissingPrice(t *testing.T) {
	bp := parse(t, queueAndFunction)
	tb := table(t, `aws,us-east-1,aws.lambda.requests,Lambda requests,1M requests,0.20,test,2026-12-02
aws,us-east-1,aws.lambda.duration.x86_64,Lambda duration,GB-second,0.0000166667,test,2026-12-02
`)
	rep, ds, err := Estimate(bp, Options{Clouds: []blueprints.Cloud{blueprints.AWS}, Regions: []string{"us-east", "europe-west"}, Table: tb})
	if err != nil || ds.HasErrors() {
		t.Fatal(err, ds)
	}
	sqs := find(t, rep, blueprints.AWS, "jobs", "aws.sqs.standard.requests")
	if _, ok := sqs.USD["us-east"]; ok {
		t.Errorf("SQS has a cost without a price: %+v", sqs)
	}
	if why := sqs.NoPrice["us-east"]; why != "not in the price table for us-east-1" {
		t.Errorf("no-price reason = %q", why)
	}
	lambda := find(t, rep, blueprints.AWS, "work", "aws.lambda.requests")
	if d := cmp.Diff(map[string]float64{"us-east": 0.2}, lambda.USD); d != "" {
		t.Errorf("lambda requests (-want +got):\n%s", d)
	}
	us := total(rep, blueprints.AWS, "us-east")
	if us.Unpriced != 1 || us.Items != 3 {
		t.Errorf("us-east total = %+v, want 1 of 3 items unpriced", us)
	}
	eu := total(rep, blueprints.AWS, "europe-west")
	if eu.Unpriced != 3 {
		t.Errorf("europe-west total = %+v, want every item unpriced", eu)
	}
	var out strings.Builder
	if err := rep.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SQS standard requests", "no price", "+ (1 no price)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, out.String())
		}
	}
}

// A table row in another unit than skyform counts in is a system error,
// never a wrong figure.
func TestUnitMismatch(t *testing.T) {
	bp := parse(t, queueAndFunction)
	tb := table(t, "aws,us-east-1,aws.lambda.requests,Lambda requests,request,0.0000002,test,2026-12-02\n")
	_, _, err := Estimate(bp, Options{Clouds: []blueprints.Cloud{blueprints.AWS}, Regions: []string{"us-east"}, Table: tb})
	if err == nil || !strings.Contains(err.Error(), `priced per "request"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestReadTableErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		reason string
		in     string
		want   string
	}{
		"header":    {"the columns are fixed", "a,b,c,d,e,f,g,h\n", "header is"},
		"price":     {"usd must be a number", tableHead + "aws,us-east-1,x,d,hour,cheap,s,2026-12-02\n", "line 2: usd \"cheap\""},
		"negative":  {"no negative prices", tableHead + "aws,us-east-1,x,d,hour,-1,s,2026-12-02\n", "line 2: usd \"-1\""},
		"source":    {"every row names its source", tableHead + "aws,us-east-1,x,d,hour,1,,2026-12-02\n", "no source or read date"},
		"duplicate": {"one row per cloud, region and SKU", tableHead + "aws,us-east-1,x,d,hour,1,s,r\naws,us-east-1,x,d,hour,2,s,r\n", "line 3: x in aws us-east-1 listed twice"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ReadTable(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: err = %v, want %q", tc.reason, err, tc.want)
			}
		})
	}
}

// The embedded table parses, and every row is for a region of the neutral
// table's columns, with a source and a date.
func TestEmbeddedTable(t *testing.T) {
	tb, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Rows) == 0 {
		t.Fatal("empty price table")
	}
	natives := map[string]bool{}
	for _, nr := range blueprints.NeutralRegions {
		for c, n := range nr.Native {
			natives[string(c)+"|"+n] = true
		}
	}
	for _, p := range tb.Rows {
		if !natives[string(p.Cloud)+"|"+p.Region] {
			t.Errorf("%s: %s is not a region of %s in the neutral table", p.SKU, p.Region, p.Cloud)
		}
		if !strings.HasPrefix(p.SKU, string(p.Cloud)+".") {
			t.Errorf("%s: SKU of another cloud than %s", p.SKU, p.Cloud)
		}
	}
}

// Usage from the blueprint's usage block and from a usage file changes
// the quantities, the file winning, and the assumptions say where each
// figure came from.
func TestUsageOverrides(t *testing.T) {
	bp := parse(t, strings.Replace(queueAndFunction, "    memory_mb: 512\n", "    memory_mb: 512\n    usage: {requests: 3000000, duration_ms: 1000}\n", 1))
	file, ds := blueprints.ParseUsage("usage.yaml", []byte("resources:\n  work: {duration_ms: 500}\n  jobs: {messages: 2000000, message_kb: 100}\n"), bp)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	rep, ds, err := Estimate(bp, Options{Clouds: []blueprints.Cloud{blueprints.AWS}, Regions: []string{"us-east"}, Usage: file})
	if err != nil || ds.HasErrors() {
		t.Fatal(err, ds)
	}
	if q := find(t, rep, blueprints.AWS, "work", "aws.lambda.requests").Quantity; q != 3 {
		t.Errorf("requests = %v M, want 3 (blueprint)", q)
	}
	if q := find(t, rep, blueprints.AWS, "work", "aws.lambda.duration.x86_64").Quantity; q != 3e6*0.5*0.5 {
		t.Errorf("GB-s = %v, want 3M x 0.5 s x 0.5 GB (duration from the file)", q)
	}
	// 100 KiB messages take two 64 KiB chunks per request.
	if q := find(t, rep, blueprints.AWS, "jobs", "aws.sqs.standard.requests").Quantity; q != 12 {
		t.Errorf("SQS requests = %v M, want 2M x 3 x 2", q)
	}
	got := map[string]string{}
	for _, a := range rep.Assumptions {
		got[a.Resource+"."+a.Field] = a.From
	}
	want := map[string]string{"work.requests": "blueprint", "work.duration_ms": "usage file", "jobs.messages": "usage file", "jobs.message_kb": "usage file"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("assumption sources (-want +got):\n%s", d)
	}
}

// Free tiers are per account: two functions share one allowance, and the
// credit never exceeds what is used.
func TestFreeTierShared(t *testing.T) {
	bp := parse(t, `blueprint: shop
resources:
  a: {kind: function, runtime: python3.12, source: ./fn, usage: {requests: 600000}}
  b: {kind: function, runtime: python3.12, source: ./fn, usage: {requests: 600000}}
`)
	rep, ds, err := Estimate(bp, Options{Clouds: []blueprints.Cloud{blueprints.AWS}, Regions: []string{"us-east"}})
	if err != nil || ds.HasErrors() {
		t.Fatal(err, ds)
	}
	for _, ft := range rep.FreeTiers {
		if ft.Name == "Lambda requests" {
			// 1.2M requests, 1M free at $0.20 per million.
			if v := ft.USD["us-east"]; v < 0.1999 || v > 0.2001 {
				t.Errorf("Lambda request credit = %v, want 0.20", v)
			}
		}
	}
	tot := total(rep, blueprints.AWS, "us-east")
	if tot.AfterFreeTier < 0 || tot.AfterFreeTier > tot.USD {
		t.Errorf("after free tier %v outside [0, %v]", tot.AfterFreeTier, tot.USD)
	}
}

// What the AWS network module creates is priced: the endpoint functions
// in the VPC need per zone, and the NAT gateway a cluster brings.
func TestImplicitNetwork(t *testing.T) {
	bp := parse(t, `blueprint: shop
resources:
  db: {kind: database, engine: postgres, high_availability: true, size: medium}
  work: {kind: function, runtime: python3.12, source: ./fn, env: {PW: '${db.password_secret}'}}
`)
	rep, ds, err := Estimate(bp, Options{Clouds: []blueprints.Cloud{blueprints.AWS}, Regions: []string{"us-east"}})
	if err != nil || ds.HasErrors() {
		t.Fatal(err, ds)
	}
	ep := find(t, rep, blueprints.AWS, "network", "aws.vpc.endpoint")
	if ep.Quantity != 2*730 || ep.USD["us-east"] != 14.6 {
		t.Errorf("endpoint = %+v, want 2 zones x 730 hours at $0.01", ep)
	}
	db := find(t, rep, blueprints.AWS, "db", "aws.rds.postgres.db.m7g.large")
	if db.Quantity != 2*730 {
		t.Errorf("Multi-AZ instance hours = %v, want primary and standby", db.Quantity)
	}
	if st := find(t, rep, blueprints.AWS, "db", "aws.rds.storage.gp3"); st.Quantity != 40 {
		t.Errorf("Multi-AZ storage = %v GB-month, want 2 x 20", st.Quantity)
	}
}

// Without a usage figure, a pool runs what its module leaves it at: an EKS
// node group its desired size (at least one node, no autoscaler), GKE and
// AKS pools their min; a written average wins everywhere.
func TestDefaultNodes(t *testing.T) {
	bp := parse(t, `blueprint: shop
resources:
  k8s:
    kind: cluster
    node_pools:
      batch: {size: small, min: 0, max: 4}
      web: {size: small, min: 2, max: 6}
    usage: {nodes: {web: 5}}
`)
	rep, ds, err := Estimate(bp, Options{Regions: []string{"us-east"}})
	if err != nil || ds.HasErrors() {
		t.Fatal(err, ds)
	}
	for _, tc := range []struct {
		cloud blueprints.Cloud
		sku   string
		want  float64
	}{
		{blueprints.AWS, "aws.ec2.m7i.large", 1 * 730},
		{blueprints.GCP, "gcp.gce.e2-standard-2", 0},
		// batch is the AKS default (system) pool, whose min 0 the
		// lowering raises to 1.
		{blueprints.Azure, "azure.vm.Standard_D2s_v5", 1 * 730},
	} {
		var got []float64
		for _, it := range rep.Items {
			if it.Cloud == tc.cloud && it.SKU == tc.sku {
				got = append(got, it.Quantity)
			}
		}
		// batch, then web (5 nodes written in the blueprint).
		if d := cmp.Diff([]float64{tc.want, 5 * 730}, got); d != "" {
			t.Errorf("%s node hours (-want +got):\n%s", tc.cloud, d)
		}
	}
}
