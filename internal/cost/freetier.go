package cost

import (
	"math"
	"strconv"
	"strings"

	"github.com/skyform/skyform/blueprints"
)

// allowance is an account-wide monthly free allowance, in the unit of the
// items that draw on it.
type allowance struct {
	cloud    blueprints.Cloud
	name     string
	quantity float64
	text     string
	note     string
}

// allowances are the free tiers, by the name items refer to them by.
var allowances = []struct {
	key string
	allowance
}{
	{"aws.lambda.requests", allowance{blueprints.AWS, "Lambda requests", 1, "1M requests per month", ""}},
	{"aws.lambda.duration", allowance{blueprints.AWS, "Lambda compute", 400_000, "400,000 GB-seconds per month", ""}},
	{"aws.sqs.requests", allowance{blueprints.AWS, "SQS requests", 1, "1M requests per month (standard and FIFO together)", ""}},
	{"aws.scheduler.invocations", allowance{blueprints.AWS, "EventBridge Scheduler invocations", 14, "14M invocations per month", ""}},
	{"gcp.pubsub.throughput", allowance{blueprints.GCP, "Pub/Sub throughput", 10.0 / 1024, "10 GiB per month", ""}},
	{"gcp.run.requests", allowance{blueprints.GCP, "Cloud Run requests", 2, "2M requests per month", ""}},
	{"gcp.run.cpu", allowance{blueprints.GCP, "Cloud Run CPU", 180_000, "180,000 vCPU-seconds per month", ""}},
	{"gcp.run.memory", allowance{blueprints.GCP, "Cloud Run memory", 360_000, "360,000 GiB-seconds per month", ""}},
	{"gcp.gke.cluster", allowance{blueprints.GCP, "GKE free tier", 0, "$74.40 credit per month per billing account",
		"not applied: the credit covers zonal and Autopilot clusters, and skyform's GKE clusters are regional"}},
	{"gcp.scheduler.jobs", allowance{blueprints.GCP, "Cloud Scheduler jobs", 3, "3 jobs per month per billing account", ""}},
	{"azure.functions.flex.executions", allowance{blueprints.Azure, "Flex Consumption executions", 0.25, "250,000 executions per month", ""}},
	{"azure.functions.flex.memory", allowance{blueprints.Azure, "Flex Consumption execution time", 100_000, "100,000 GB-seconds per month", ""}},
}

// freeTiers values each allowance the items of cloud c draw on, per
// region: the allowance is spent on the items in order, at their prices.
func freeTiers(c blueprints.Cloud, regions []string, items []Item) []FreeTier {
	var out []FreeTier
	for _, al := range allowances {
		if al.cloud != c {
			continue
		}
		var draw []Item
		for _, it := range items {
			if it.freeTier == al.key {
				draw = append(draw, it)
			}
		}
		if len(draw) == 0 {
			continue
		}
		ft := FreeTier{Cloud: c, Name: al.name, Allowance: al.text, USD: map[string]float64{}, Note: al.note, NotApplied: al.quantity == 0}
		for _, reg := range regions {
			left, credit, priced := al.quantity, 0.0, false
			for _, it := range draw {
				v, ok := it.USD[reg]
				if !ok {
					continue
				}
				priced = true
				take := math.Min(left, it.Quantity)
				if take > 0 {
					credit += take * v / it.Quantity
					left -= take
				}
			}
			if priced {
				ft.USD[reg] = credit
			}
		}
		out = append(out, ft)
	}
	return out
}

// count writes a whole number with thousands separators.
func count(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
