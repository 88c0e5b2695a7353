package cost

import (
	"fmt"
	"math"
)

// The AWS items. Module defaults used when a call leaves an argument out
// are those of modules/aws/*/variables.tf.

// awsQueue: SQS bills every API request, a request per 64 KiB chunk of
// payload; a message is sent, received and deleted (three requests).
func (l *lister) awsQueue() {
	fifo := l.a.boolean("fifo", false)
	sku, what := "aws.sqs.standard.requests", "SQS standard requests"
	if fifo {
		sku, what = "aws.sqs.fifo.requests", "SQS FIFO requests"
	}
	chunks := math.Ceil(float64(l.u.messageKB) / 64)
	req := float64(l.u.messages) * 3 * chunks
	l.add(Item{SKU: sku, What: what, Quantity: req / 1e6, Unit: "1M requests",
		Basis:    fmt.Sprintf("%s messages x 3 requests (send, receive, delete) x %.0f chunk(s) of 64 KiB", count(l.u.messages), chunks),
		Note:     "empty receives of consumers polling an idle queue are extra",
		freeTier: "aws.sqs.requests"})
}

// awsFunction: Lambda bills requests and GB-seconds of the memory set.
func (l *lister) awsFunction() {
	mem := l.a.num("memory_size", 128)
	arch := l.a.str("architecture", "x86_64")
	l.add(Item{SKU: "aws.lambda.requests", What: "Lambda requests", Quantity: float64(l.u.requests) / 1e6, Unit: "1M requests",
		Basis: count(l.u.requests) + " invocations", freeTier: "aws.lambda.requests"})
	gbs := float64(l.u.requests) * l.u.duration.Seconds() * mem / 1024
	l.add(Item{SKU: "aws.lambda.duration." + arch, What: "Lambda duration (" + arch + ")", Quantity: gbs, Unit: "GB-second",
		Basis: fmt.Sprintf("%s invocations x %s x %.0f MB", count(l.u.requests), l.u.duration, mem), freeTier: "aws.lambda.duration"})
	l.awsSchedules()
}

// awsDatabase: RDS bills instance hours of the class, storage per GB-month
// and, for a Multi-AZ instance, both for the standby too. The module has
// RDS keep the master password in Secrets Manager, billed per secret.
func (l *lister) awsDatabase() {
	engine := l.a.str("engine", "postgres")
	class := l.a.str("instance_class", "")
	storage := l.a.num("allocated_storage", 20)
	stype := l.a.str("storage_type", "gp3")
	copies, basis := 1.0, ""
	if l.a.boolean("multi_az", false) {
		copies, basis = 2, " x 2 (Multi-AZ: primary and standby)"
	}
	h := float64(l.u.hours)
	l.add(Item{SKU: "aws.rds." + engine + "." + class, What: "RDS " + engine + " " + class, Quantity: h * copies, Unit: "hour",
		Basis: fmt.Sprintf("%.0f hours%s", h, basis)})
	l.add(Item{SKU: "aws.rds.storage." + stype, What: "RDS " + stype + " storage", Quantity: storage * copies, Unit: "GB-month",
		Basis: fmt.Sprintf("%.0f GB%s", storage, basis), Note: "backup storage up to the database's size is free"})
	l.add(Item{SKU: "aws.secretsmanager.secret", What: "Secrets Manager secret (master password)", Quantity: 1, Unit: "secret-month",
		Basis: "1 secret kept by RDS"})
}

// awsCluster: EKS bills the control plane by the hour; nodes are EC2
// instances with an EBS root volume.
func (l *lister) awsCluster() {
	h := float64(l.u.hours)
	l.add(Item{SKU: "aws.eks.cluster", What: "EKS control plane", Quantity: h, Unit: "hour", Basis: fmt.Sprintf("%.0f hours", h)})
	pools := l.a.obj("node_pools")
	for _, name := range pools.keys() {
		p := pools.obj(name)
		types := p.strs("instance_types")
		if len(types) == 0 {
			continue
		}
		n, set := float64(l.u.nodes[name]), hasNodes(l.u, name)
		if !set {
			min, max := int(p.num("min_size", 1)), int(p.num("max_size", 1))
			n = float64(eksDesired(min, max))
			if d := p.num("desired_size", -1); d >= 0 {
				n = d
			}
		}
		disk := p.num("disk_size", 20)
		it := Item{SKU: "aws.ec2." + types[0], What: "EC2 " + types[0] + " nodes (" + name + ")", Quantity: n * h, Unit: "hour",
			Basis: fmt.Sprintf("%.0f nodes x %.0f hours", n, h)}
		if p.str("capacity_type", "ON_DEMAND") == "SPOT" {
			it.SKU, it.What = "spot:aws.ec2."+types[0], "EC2 "+types[0]+" spot nodes ("+name+")"
			it.Note = "spot prices follow demand hour by hour; the table has none"
		}
		l.add(it)
		l.add(Item{SKU: "aws.ebs.gp3", What: "EBS gp3 node volumes (" + name + ")", Quantity: n * disk * h / HoursPerMonth, Unit: "GB-month",
			Basis: fmt.Sprintf("%.0f nodes x %.0f GB", n, disk)})
	}
}

// awsNetwork: interface endpoints are billed per endpoint per zone by the
// hour; the NAT gateway by the hour, with its public IPv4 address.
// Traffic through either (per GB) depends on the workload and is not
// estimated.
func (l *lister) awsNetwork() {
	zones := l.a.num("zone_count", 2)
	h := float64(HoursPerMonth)
	for _, ep := range l.a.strs("interface_endpoints") {
		l.add(Item{SKU: "aws.vpc.endpoint", What: "VPC interface endpoint " + ep, Quantity: zones * h, Unit: "hour",
			Basis: fmt.Sprintf("%.0f zones x %.0f hours", zones, h), Note: "plus data processed per GB, not estimated"})
	}
	if l.a.boolean("nat_gateway", false) {
		l.add(Item{SKU: "aws.vpc.nat", What: "NAT gateway", Quantity: h, Unit: "hour", Basis: fmt.Sprintf("1 gateway x %.0f hours", h),
			Note: "plus data processed per GB, not estimated"})
		l.add(Item{SKU: "aws.vpc.ipv4", What: "public IPv4 address (NAT gateway)", Quantity: h, Unit: "hour", Basis: fmt.Sprintf("1 address x %.0f hours", h)})
	}
}
