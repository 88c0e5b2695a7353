package cost

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"time"
)

// The GCP items. Module defaults used when a call leaves an argument out
// are those of modules/gcp/*/variables.tf.

// gcpQueue: Pub/Sub bills throughput: each message counts at least 1,000
// bytes, once when published and once per subscription it is delivered to
// (one here: the consumer's).
func (l *lister) gcpQueue() {
	bytes := math.Max(float64(l.u.messageKB)*1024, 1000)
	tib := float64(l.u.messages) * bytes * 2 / (1 << 40)
	l.add(Item{SKU: "gcp.pubsub.throughput", What: "Pub/Sub message throughput", Quantity: tib, Unit: "TiB",
		Basis:    fmt.Sprintf("%s messages x %.0f bytes x 2 (publish, deliver)", count(l.u.messages), bytes),
		freeTier: "gcp.pubsub.throughput"})
}

// cloudRunCPU is the vCPU a Cloud Run function gets for its memory when
// the function does not set one (Cloud Run functions' memory and CPU table).
func cloudRunCPU(mib float64) float64 {
	switch {
	case mib <= 128:
		return 0.083
	case mib <= 256:
		return 0.167
	case mib <= 512:
		return 0.333
	case mib <= 1024:
		return 0.583
	case mib <= 2048:
		return 1
	case mib <= 8192:
		return 2
	case mib <= 16384:
		return 4
	}
	return 8
}

var memRE = regexp.MustCompile(`^([0-9]+)(Mi|Gi|M|G)$`)

func mebibytes(s string) float64 {
	m := memRE.FindStringSubmatch(s)
	if m == nil {
		return 256
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	switch m[2] {
	case "Gi", "G":
		return v * 1024
	}
	return v
}

// gcpFunction: a Cloud Run function (request-based billing) is billed for
// requests and for vCPU-seconds and GiB-seconds while it serves them,
// each request's time rounded up to 100 ms.
func (l *lister) gcpFunction() {
	mib := mebibytes(l.a.str("memory", "256Mi"))
	cpu := cloudRunCPU(mib)
	d := l.u.duration.Round(100 * time.Millisecond)
	if d < l.u.duration {
		d += 100 * time.Millisecond
	}
	secs := float64(l.u.requests) * d.Seconds()
	l.add(Item{SKU: "gcp.run.requests", What: "Cloud Run function requests", Quantity: float64(l.u.requests) / 1e6, Unit: "1M requests",
		Basis: count(l.u.requests) + " invocations", freeTier: "gcp.run.requests"})
	l.add(Item{SKU: "gcp.run.cpu", What: "Cloud Run function CPU", Quantity: secs * cpu, Unit: "vCPU-second",
		Basis: fmt.Sprintf("%s invocations x %s x %.3f vCPU", count(l.u.requests), d, cpu), freeTier: "gcp.run.cpu"})
	l.add(Item{SKU: "gcp.run.memory", What: "Cloud Run function memory", Quantity: secs * mib / 1024, Unit: "GiB-second",
		Basis: fmt.Sprintf("%s invocations x %s x %.0f MiB", count(l.u.requests), d, mib), freeTier: "gcp.run.memory"})
	l.gcpSchedules()
}

var customTierRE = regexp.MustCompile(`^db-custom-([0-9]+)-([0-9]+)$`)

// gcpDatabase: Cloud SQL Enterprise bills vCPU-hours and memory GiB-hours
// of the tier and SSD storage per GB-month; high availability bills each
// at twice the rate (a standby of the same shape).
func (l *lister) gcpDatabase() {
	tier := l.a.str("tier", "")
	storage := l.a.num("storage_gb", 20)
	copies, basis := 1.0, ""
	if l.a.boolean("high_availability", false) {
		copies, basis = 2, " x 2 (high availability)"
	}
	h := float64(l.u.hours)
	m := customTierRE.FindStringSubmatch(tier)
	if m == nil {
		l.add(Item{SKU: "gcp.sql.tier." + tier, What: "Cloud SQL " + tier, Quantity: h * copies, Unit: "hour", Basis: fmt.Sprintf("%.0f hours%s", h, basis)})
	} else {
		vcpu, _ := strconv.ParseFloat(m[1], 64)
		mib, _ := strconv.ParseFloat(m[2], 64)
		l.add(Item{SKU: "gcp.sql.cpu", What: "Cloud SQL vCPUs (" + tier + ")", Quantity: vcpu * h * copies, Unit: "vCPU-hour",
			Basis: fmt.Sprintf("%.0f vCPU x %.0f hours%s", vcpu, h, basis)})
		l.add(Item{SKU: "gcp.sql.memory", What: "Cloud SQL memory (" + tier + ")", Quantity: mib / 1024 * h * copies, Unit: "GiB-hour",
			Basis: fmt.Sprintf("%.0f GiB x %.0f hours%s", mib/1024, h, basis)})
	}
	l.add(Item{SKU: "gcp.sql.storage.ssd", What: "Cloud SQL SSD storage", Quantity: storage * copies, Unit: "GB-month",
		Basis: fmt.Sprintf("%.0f GB%s", storage, basis), Note: "backups beyond the first seven are extra"})
}

// gcpCluster: GKE bills a cluster management fee by the hour (the free
// tier's credit covers zonal and Autopilot clusters, not these regional
// ones); nodes are Compute Engine VMs with a balanced persistent boot disk.
func (l *lister) gcpCluster() {
	h := float64(l.u.hours)
	l.add(Item{SKU: "gcp.gke.cluster", What: "GKE cluster management fee (regional)", Quantity: h, Unit: "hour", Basis: fmt.Sprintf("%.0f hours", h),
		freeTier: "gcp.gke.cluster"})
	disk := l.a.num("node_disk_size_gb", 100)
	pools := l.a.obj("node_pools")
	for _, name := range pools.keys() {
		p := pools.obj(name)
		mt := p.str("machine_type", "")
		n := float64(l.u.nodes[name])
		if !hasNodes(l.u, name) {
			n = p.num("min", 1)
		}
		it := Item{SKU: "gcp.gce." + mt, What: "Compute Engine " + mt + " nodes (" + name + ")", Quantity: n * h, Unit: "hour",
			Basis: fmt.Sprintf("%.0f nodes x %.0f hours", n, h)}
		if p.boolean("spot", false) {
			it.SKU, it.What = "spot:gcp.gce."+mt, "Compute Engine "+mt+" Spot nodes ("+name+")"
			it.Note = "Spot VM prices change up to once a month; the table has none"
		}
		l.add(it)
		l.add(Item{SKU: "gcp.pd.balanced", What: "balanced persistent boot disks (" + name + ")", Quantity: n * disk * h / HoursPerMonth, Unit: "GB-month",
			Basis: fmt.Sprintf("%.0f nodes x %.0f GB", n, disk)})
	}
}
