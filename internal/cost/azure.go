package cost

import (
	"fmt"
	"math"
)

// The Azure items. Module defaults used when a call leaves an argument out
// are those of modules/azure/*/variables.tf.

// serviceBusIncluded is how many operations a Standard namespace's base
// charge includes each month.
const serviceBusIncluded = 13_000_000

// azureQueue: each queue gets its own Service Bus namespace. Standard bills
// a base charge by the hour, which includes 13M operations a month, then
// operations per million (a message is sent, received and completed: three
// operations per 64 KiB); Premium bills messaging units by the hour.
func (l *lister) azureQueue() {
	h := float64(HoursPerMonth)
	if l.a.str("sku", "Standard") == "Premium" {
		l.add(Item{SKU: "azure.servicebus.premium.unit", What: "Service Bus Premium messaging unit", Quantity: h, Unit: "hour", Basis: fmt.Sprintf("1 unit x %.0f hours", h)})
		return
	}
	l.add(Item{SKU: "azure.servicebus.standard.base", What: "Service Bus Standard base charge", Quantity: h, Unit: "hour", Basis: fmt.Sprintf("1 namespace x %.0f hours", h)})
	ops := float64(l.u.messages) * 3 * math.Ceil(float64(l.u.messageKB)/64)
	over := math.Max(0, ops-serviceBusIncluded)
	l.add(Item{SKU: "azure.servicebus.standard.operations", What: "Service Bus Standard operations beyond 13M", Quantity: over / 1e6, Unit: "1M operations",
		Basis: fmt.Sprintf("%s messages x 3 operations (send, receive, complete), less the 13M the base charge includes", count(l.u.messages))})
}

// azureFunction: Flex Consumption (on demand) bills executions and the
// GB-seconds of the instance memory while functions run.
func (l *lister) azureFunction() {
	mem := l.a.num("instance_memory_mb", 2048)
	l.add(Item{SKU: "azure.functions.flex.executions", What: "Flex Consumption executions", Quantity: float64(l.u.requests) / 1e6, Unit: "1M executions",
		Basis: count(l.u.requests) + " invocations", Note: azureScheduleNote(l.r), freeTier: "azure.functions.flex.executions"})
	gbs := float64(l.u.requests) * l.u.duration.Seconds() * mem / 1024
	l.add(Item{SKU: "azure.functions.flex.memory", What: "Flex Consumption execution time", Quantity: gbs, Unit: "GB-second",
		Basis:    fmt.Sprintf("%s invocations x %s x %.0f MB instance memory", count(l.u.requests), l.u.duration, mem),
		Note:     "the function app's storage account is billed by use, not estimated",
		freeTier: "azure.functions.flex.memory"})
}

// azureDatabase: a flexible server bills compute hours of the SKU and
// storage per GB-month; zone-redundant high availability bills a standby
// of the same SKU and storage.
func (l *lister) azureDatabase() {
	engine := l.a.str("engine", "postgres")
	sku := l.a.str("sku_name", "")
	storage := l.a.num("storage_gb", 32)
	copies, basis := 1.0, ""
	if l.a.boolean("high_availability", false) {
		copies, basis = 2, " x 2 (high availability: primary and standby)"
	}
	h := float64(l.u.hours)
	l.add(Item{SKU: "azure." + engine + "." + sku, What: "Flexible Server " + engine + " " + sku, Quantity: h * copies, Unit: "hour",
		Basis: fmt.Sprintf("%.0f hours%s", h, basis)})
	l.add(Item{SKU: "azure." + engine + ".storage", What: "Flexible Server " + engine + " storage", Quantity: storage * copies, Unit: "GB-month",
		Basis: fmt.Sprintf("%.0f GB%s", storage, basis), Note: "the Key Vault holding the password bills per operation, not estimated"})
}

// premiumDisk is the Premium SSD tier an OS disk of gb falls into.
func premiumDisk(gb float64) string {
	for _, t := range []struct {
		max  float64
		name string
	}{{32, "p4"}, {64, "p6"}, {128, "p10"}, {256, "p15"}, {512, "p20"}, {1024, "p30"}, {2048, "p40"}} {
		if gb <= t.max {
			return t.name
		}
	}
	return "p50"
}

// azureCluster: AKS's Free tier has no control plane charge, Standard and
// Premium bill by the hour; nodes are VMs with a managed Premium SSD OS disk.
func (l *lister) azureCluster() {
	h := float64(l.u.hours)
	tier := l.a.str("sku_tier", "Free")
	sku := map[string]string{"Free": "azure.aks.free", "Standard": "azure.aks.standard", "Premium": "azure.aks.premium"}[tier]
	l.add(Item{SKU: sku, What: "AKS control plane (" + tier + " tier)", Quantity: h, Unit: "hour", Basis: fmt.Sprintf("%.0f hours", h)})
	disk := l.a.num("os_disk_size_gb", 128)
	pools := []args{l.a.obj("default_pool")}
	np := l.a.obj("node_pools")
	for _, k := range np.keys() {
		pools = append(pools, np.obj(k))
	}
	for _, p := range pools {
		if p == nil {
			continue
		}
		name, size := p.str("name", ""), p.str("vm_size", "")
		n := float64(l.u.nodes[name])
		if !hasNodes(l.u, name) {
			n = p.num("min_count", 1)
		}
		it := Item{SKU: "azure.vm." + size, What: "VM " + size + " nodes (" + name + ")", Quantity: n * h, Unit: "hour",
			Basis: fmt.Sprintf("%.0f nodes x %.0f hours", n, h)}
		if p.boolean("spot", false) {
			it.SKU, it.What = "spot:azure.vm."+size, "VM "+size+" spot nodes ("+name+")"
			it.Note = "spot prices follow demand; the table has none"
		}
		l.add(it)
		tierName := premiumDisk(disk)
		l.add(Item{SKU: "azure.disk.premium." + tierName, What: fmt.Sprintf("Premium SSD %s OS disks (%s, %.0f GB)", tierName, name, disk), Quantity: n * h / HoursPerMonth, Unit: "disk-month",
			Basis: fmt.Sprintf("%.0f nodes", n)})
	}
}

// azureNetwork: the virtual network and subnets are free; each private DNS
// zone (one per database engine) is billed per month.
func (l *lister) azureNetwork() {
	for _, z := range []string{"postgres", "mysql"} {
		if l.a.boolean(z, false) {
			l.add(Item{SKU: "azure.dns.private-zone", What: "private DNS zone (" + z + ")", Quantity: 1, Unit: "zone-month", Basis: "1 zone",
				Note: "plus DNS queries per million, not estimated"})
		}
	}
}
