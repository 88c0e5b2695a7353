package aws

import (
	"fmt"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// database maps a neutral database onto an RDS instance in the implicit
// network. The version goes through as written ("16", "8.0"): RDS takes a
// major version and picks its default minor, and the module keeps automatic
// minor upgrades on.
func (l *lowering) database(r *blueprints.Resource) *tfir.Block {
	db := r.Database
	b := providers.ModuleCall(l.bp, cloud, r)
	b.Set("engine", tfir.String(string(db.Engine)))
	b.Set("engine_version", tfir.String(db.Version))
	if why, ok := rdsExtended[string(db.Engine)+" "+db.Version]; ok && !providers.Overridden(r, cloud, "engine_version") {
		l.ds = l.ds.Warnf(r.At("version"), r.Path("version"), fmt.Sprintf("%s %s is in RDS Extended Support", db.Engine, db.Version),
			"%s; RDS creates the instance enrolled in Extended Support, which is billed per vCPU-hour on top of the instance. Use a newer version to avoid the charge", why)
	}

	m, _ := sizeFor(blueprints.KindDatabase, db.Size)
	b.Set("instance_class", tfir.String(m.Type))
	if m.Note != "" && !providers.Overridden(r, cloud, "instance_class") {
		l.ds = providers.Approximated(l.ds, cloud, r, "size", "size "+string(db.Size),
			"%s is %s (%d vCPU, %g GiB), the only RDS class of that shape, and it is %s", db.Size, m.Type, m.VCPU, m.MemoryGiB, m.Note)
	}

	b.Set("allocated_storage", tfir.Number(int64(db.StorageGB)))
	b.Set("multi_az", tfir.Bool(db.HighAvailability))
	b.Set("backup_retention_period", tfir.Number(int64(db.BackupRetentionDays)))
	b.Set("deletion_protection", tfir.Bool(db.DeletionProtection))
	b.Set("db_name", tfir.String(r.OriginalID()))

	b.Set("vpc_id", providers.NetworkOutput(cloud, "vpc_id"))
	b.Set("subnet_ids", providers.NetworkOutput(cloud, "private_subnet_ids"))
	// Clients inside AWS: functions joining the VPC use the network's app
	// security group. Pods on EKS nodes come from each cluster's own
	// security group; one rule per cluster would grow with every cluster ×
	// database pair and run into the 60-rule limit of a security group, so
	// the nodes are admitted by the VPC's (private-only) address range.
	b.Set("allowed_security_group_ids", tfir.Object{{Key: "functions", Value: providers.NetworkOutput(cloud, "app_security_group_id")}})
	if len(l.clusters) > 0 {
		b.Set("allowed_cidr_blocks", tfir.Object{{Key: "eks-nodes", Value: providers.NetworkOutput(cloud, "cidr_block")}})
	}
	return b
}
