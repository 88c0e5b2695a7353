package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/skyform/skyform/blueprints"
)

// AWSOptions say how AWS is reached.
type AWSOptions struct {
	// Config is the SDK configuration; nil loads the default one (the
	// environment, shared files, SSO, instance roles, AWS_ENDPOINT_URL).
	Config *aws.Config
}

const awsCloud = blueprints.AWS

func checkAWS(ctx context.Context, o AWSOptions, n *Needs) []Check {
	var cfg aws.Config
	if o.Config != nil {
		cfg = o.Config.Copy()
	} else {
		var err error
		if cfg, err = config.LoadDefaultConfig(ctx); err != nil {
			return []Check{{Cloud: awsCloud, Name: "credentials", Status: Failed, Detail: "cannot load the AWS configuration: " + err.Error(),
				Fix: "fix the shared configuration (AWS_CONFIG_FILE, ~/.aws/config) or the AWS_* variables it names"}}
		}
	}
	home := cfg.Region
	if home == "" {
		home = "us-east-1"
	}
	cfg.Region = n.Region
	rest := []string{"region " + n.Region}
	for _, t := range n.machineList() {
		rest = append(rest, "instance type "+t)
	}
	for _, d := range n.Databases {
		rest = append(rest, "database class "+d.Class)
	}

	id := Check{Cloud: awsCloud, Name: "credentials"}
	if cfg.Credentials == nil {
		id.Status, id.Detail = Failed, "no AWS credentials found"
	} else if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		id.Status, id.Detail = Failed, "no AWS credentials found: "+err.Error()
	}
	if id.Status == Failed {
		id.Fix = "set AWS_PROFILE to a profile of ~/.aws/config (aws sso login for an SSO one), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
		return append([]Check{id}, skipRest(awsCloud, "no credentials", rest...)...)
	}
	who, err := sts.NewFromConfig(cfg, func(o *sts.Options) { o.Region = home }).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		id.Status = Failed
		id.Detail, id.Fix = awsFailure(err, "sts:GetCallerIdentity")
		if code := apiCode(err); code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch" || code == "ExpiredToken" || code == "ExpiredTokenException" {
			id.Fix = "the credentials are not valid (expired or revoked): renew them (aws sso login, a new access key) and try again"
		}
		return append([]Check{id}, skipRest(awsCloud, "the credentials do not work", rest...)...)
	}
	id.Status = OK
	id.Detail = fmt.Sprintf("%s (account %s)", aws.ToString(who.Arn), aws.ToString(who.Account))
	out := []Check{id}

	region := Check{Cloud: awsCloud, Name: "region " + n.Region}
	regs, err := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.Region = home }).DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(true)})
	if err != nil {
		region.Status = Failed
		region.Detail, region.Fix = awsFailure(err, "ec2:DescribeRegions")
		return append(append(out, region), skipRest(awsCloud, "the region could not be checked", rest[1:]...)...)
	}
	var found *ec2types.Region
	var names []string
	for i, r := range regs.Regions {
		names = append(names, aws.ToString(r.RegionName))
		if aws.ToString(r.RegionName) == n.Region {
			found = &regs.Regions[i]
		}
	}
	switch {
	case found == nil:
		region.Status = Failed
		region.Detail = fmt.Sprintf("the account has no region %s (it has %s)", n.Region, join(names))
		region.Fix = "pick a region the account has in the blueprint's region field"
	case aws.ToString(found.OptInStatus) == "not-opted-in":
		region.Status = Failed
		region.Detail = n.Region + " is an opt-in region not enabled for this account"
		region.Fix = "enable it: aws account enable-region --region-name " + n.Region + " (or pick another region)"
	default:
		region.Status = OK
		region.Detail = fmt.Sprintf("%s is enabled (%s)", n.Region, aws.ToString(found.OptInStatus))
	}
	out = append(out, region)
	if region.Status != OK {
		return append(out, skipRest(awsCloud, "the region is not usable", rest[1:]...)...)
	}

	out = append(out, awsInstanceTypes(ctx, ec2.NewFromConfig(cfg), n)...)
	out = append(out, awsDatabases(ctx, rds.NewFromConfig(cfg), n)...)
	return out
}

// awsInstanceTypes asks which of the node pools' instance types EC2
// offers in the region.
func awsInstanceTypes(ctx context.Context, client *ec2.Client, n *Needs) []Check {
	types := n.machineList()
	if len(types) == 0 {
		return nil
	}
	offered := map[string]bool{}
	// Paged by hand: the SDK's paginator takes the client as an interface,
	// which keeps every EC2 operation in the binary (37 MB of 109).
	in := &ec2.DescribeInstanceTypeOfferingsInput{
		LocationType: ec2types.LocationTypeRegion,
		Filters:      []ec2types.Filter{{Name: aws.String("instance-type"), Values: types}},
	}
	for more := true; more; {
		page, err := client.DescribeInstanceTypeOfferings(ctx, in)
		if err != nil {
			detail, fix := awsFailure(err, "ec2:DescribeInstanceTypeOfferings")
			var out []Check
			for _, t := range types {
				out = append(out, Check{Cloud: awsCloud, Name: "instance type " + t, Status: Failed, Detail: detail, Fix: fix, For: n.Machines[t]})
			}
			return out
		}
		for _, o := range page.InstanceTypeOfferings {
			if aws.ToString(o.Location) == n.Region {
				offered[string(o.InstanceType)] = true
			}
		}
		in.NextToken = page.NextToken
		more = aws.ToString(page.NextToken) != ""
	}
	var out []Check
	for _, t := range types {
		c := Check{Cloud: awsCloud, Name: "instance type " + t, For: n.Machines[t]}
		if offered[t] {
			c.Status, c.Detail = OK, "offered in "+n.Region
		} else {
			c.Status, c.Detail = Failed, "EC2 does not offer "+t+" in "+n.Region
			c.Fix = "deploy to a region that offers " + t + ", pick another size for the pool, or set its instance_types in the resource's overrides.aws.node_pools"
		}
		out = append(out, c)
	}
	return out
}

// awsDatabases asks RDS whether each database's class is orderable for
// its engine and version in the region.
func awsDatabases(ctx context.Context, client *rds.Client, n *Needs) []Check {
	var out []Check
	for _, d := range n.Databases {
		c := Check{Cloud: awsCloud, Name: "database class " + d.Class, For: []string{d.Resource}}
		p := rds.NewDescribeOrderableDBInstanceOptionsPaginator(client, &rds.DescribeOrderableDBInstanceOptionsInput{
			Engine: aws.String(d.Engine), DBInstanceClass: aws.String(d.Class),
		})
		classOffered, match := false, false
		var err error
		for p.HasMorePages() && !match {
			var page *rds.DescribeOrderableDBInstanceOptionsOutput
			if page, err = p.NextPage(ctx); err != nil {
				break
			}
			for _, o := range page.OrderableDBInstanceOptions {
				classOffered = true
				v := aws.ToString(o.EngineVersion)
				if d.Version == "" || v == d.Version || strings.HasPrefix(v, d.Version+".") {
					match = true
				}
			}
		}
		switch {
		case err != nil:
			c.Status = Failed
			c.Detail, c.Fix = awsFailure(err, "rds:DescribeOrderableDBInstanceOptions")
		case match:
			c.Status, c.Detail = OK, fmt.Sprintf("RDS offers %s for %s %s in %s", d.Class, d.Engine, d.Version, n.Region)
		case classOffered:
			c.Status, c.Detail = Failed, fmt.Sprintf("RDS offers %s in %s for %s, but not for version %s", d.Class, n.Region, d.Engine, d.Version)
			c.Fix = "use an engine version RDS offers this class for (aws rds describe-orderable-db-instance-options --engine " + d.Engine + " --db-instance-class " + d.Class + "), or another size"
		default:
			c.Status, c.Detail = Failed, fmt.Sprintf("RDS does not offer %s for %s in %s", d.Class, d.Engine, n.Region)
			c.Fix = "deploy to a region that offers " + d.Class + ", or pick another size for the database"
		}
		out = append(out, c)
	}
	return out
}

// apiCode is an AWS error's code, "" for an error that is none.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// awsFailure says what a failed call means and what to do; action is the
// IAM action the call needs.
func awsFailure(err error, action string) (detail, fix string) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "Forbidden":
			return "permission denied: the credentials may not call " + action + " (" + ae.ErrorMessage() + ")",
				"grant " + action + " to the identity (it only reads), or run skyform doctor with credentials that have it"
		}
		return fmt.Sprintf("%s failed: %s: %s", action, ae.ErrorCode(), ae.ErrorMessage()), "see the message; the call is read-only and safe to retry"
	}
	return fmt.Sprintf("%s failed: %v", action, err), "check the network and AWS_ENDPOINT_URL, then retry"
}
