package doctor

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/fakecloud"
)

func awsInventory() *fakecloud.Inventory {
	return &fakecloud.Inventory{AWS: &fakecloud.AWS{Region: "eu-west-1", Account: "123456789012", AWSAccount: fakecloud.AWSAccount{
		Regions: []fakecloud.EC2Region{
			{RegionName: "us-east-1", OptInStatus: "opt-in-not-required"},
			{RegionName: "eu-west-1", OptInStatus: "opt-in-not-required"},
			{RegionName: "eu-south-1", OptInStatus: "not-opted-in"},
		},
		InstanceTypes: map[string][]string{
			"eu-west-1":  {"m6a.2xlarge", "m6i.2xlarge", "m7a.2xlarge", "m7i.2xlarge", "m7i.large", "m7i.xlarge", "t3.micro"},
			"eu-south-1": {"m7i.xlarge"},
		},
		OrderableDBInstances: map[string][]fakecloud.OrderableDBInstance{
			"eu-west-1": {
				{Engine: "postgres", EngineVersion: "15.7", DBInstanceClass: "db.m7g.large"},
				{Engine: "postgres", EngineVersion: "16.3", DBInstanceClass: "db.m7g.large"},
				{Engine: "postgres", EngineVersion: "16.4", DBInstanceClass: "db.m7g.large"},
				{Engine: "mysql", EngineVersion: "8.0.39", DBInstanceClass: "db.m7g.large"},
			},
		},
	}}}
}

func awsConfig(url string) *aws.Config {
	return &aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAFAKE", "fake", ""),
		BaseEndpoint: aws.String(url),
	}
}

func TestAWS(t *testing.T) {
	bp := loadBlueprint(t, testBlueprint)
	cases := map[string]struct {
		edit   func(*fakecloud.Inventory, *aws.Config, *blueprints.Blueprint)
		want   []string
		detail map[string]string
		fix    map[string]string
	}{
		"all pass, through paging and throttling": {
			edit: func(inv *fakecloud.Inventory, _ *aws.Config, _ *blueprints.Blueprint) {
				inv.ThrottleOnce = []string{"sts:GetCallerIdentity", "ec2:DescribeRegions", "ec2:DescribeInstanceTypeOfferings", "rds:DescribeOrderableDBInstanceOptions"}
			},
			want: []string{"ok aws credentials", "ok aws region eu-west-1",
				"ok aws instance type m6a.2xlarge", "ok aws instance type m6i.2xlarge", "ok aws instance type m7a.2xlarge", "ok aws instance type m7i.2xlarge", "ok aws instance type m7i.xlarge",
				"ok aws database class db.m7g.large"},
			detail: map[string]string{"credentials": "arn:aws:iam::123456789012:user/reader (account 123456789012)", "database class db.m7g.large": "RDS offers db.m7g.large for postgres 16 in eu-west-1"},
		},
		"a size not offered in the region": {
			edit: func(inv *fakecloud.Inventory, _ *aws.Config, _ *blueprints.Blueprint) {
				inv.AWS.InstanceTypes["eu-west-1"] = []string{"m7i.xlarge", "m7i.2xlarge", "m6i.2xlarge", "m7a.2xlarge"}
				inv.AWS.OrderableDBInstances["eu-west-1"] = inv.AWS.OrderableDBInstances["eu-west-1"][:1]
			},
			want: []string{"ok aws credentials", "ok aws region eu-west-1",
				"fail aws instance type m6a.2xlarge", "ok aws instance type m6i.2xlarge", "ok aws instance type m7a.2xlarge", "ok aws instance type m7i.2xlarge", "ok aws instance type m7i.xlarge",
				"fail aws database class db.m7g.large"},
			detail: map[string]string{"instance type m6a.2xlarge": "EC2 does not offer m6a.2xlarge in eu-west-1", "database class db.m7g.large": "RDS offers db.m7g.large in eu-west-1 for postgres, but not for version 16"},
		},
		"an opt-in region not enabled": {
			edit: func(_ *fakecloud.Inventory, _ *aws.Config, bp *blueprints.Blueprint) {
				bp.Region = blueprints.Region{Native: "eu-south-1", NativeCloud: blueprints.AWS}
			},
			want: []string{"ok aws credentials", "fail aws region eu-south-1",
				"skip aws instance type m6a.2xlarge", "skip aws instance type m6i.2xlarge", "skip aws instance type m7a.2xlarge", "skip aws instance type m7i.2xlarge", "skip aws instance type m7i.xlarge",
				"skip aws database class db.m7g.large"},
			fix: map[string]string{"region eu-south-1": "enable it: aws account enable-region --region-name eu-south-1 (or pick another region)"},
		},
		"a region the account does not have": {
			edit: func(inv *fakecloud.Inventory, _ *aws.Config, _ *blueprints.Blueprint) {
				inv.AWS.Regions = inv.AWS.Regions[:1]
			},
			want: []string{"ok aws credentials", "fail aws region eu-west-1",
				"skip aws instance type m6a.2xlarge", "skip aws instance type m6i.2xlarge", "skip aws instance type m7a.2xlarge", "skip aws instance type m7i.2xlarge", "skip aws instance type m7i.xlarge",
				"skip aws database class db.m7g.large"},
			detail: map[string]string{"region eu-west-1": "the account has no region eu-west-1 (it has us-east-1)"},
		},
		"a denied permission names the action": {
			edit: func(inv *fakecloud.Inventory, _ *aws.Config, _ *blueprints.Blueprint) {
				inv.Deny = []string{"ec2:DescribeInstanceTypeOfferings"}
			},
			want: []string{"ok aws credentials", "ok aws region eu-west-1",
				"fail aws instance type m6a.2xlarge", "fail aws instance type m6i.2xlarge", "fail aws instance type m7a.2xlarge", "fail aws instance type m7i.2xlarge", "fail aws instance type m7i.xlarge",
				"ok aws database class db.m7g.large"},
			fix: map[string]string{"instance type m7i.xlarge": "grant ec2:DescribeInstanceTypeOfferings to the identity (it only reads), or run skyform doctor with credentials that have it"},
		},
		"revoked credentials": {
			edit: func(inv *fakecloud.Inventory, _ *aws.Config, _ *blueprints.Blueprint) {
				inv.AWS.RevokedKeys = []string{"AKIAFAKE"}
			},
			want: []string{"fail aws credentials", "skip aws region eu-west-1",
				"skip aws instance type m6a.2xlarge", "skip aws instance type m6i.2xlarge", "skip aws instance type m7a.2xlarge", "skip aws instance type m7i.2xlarge", "skip aws instance type m7i.xlarge",
				"skip aws database class db.m7g.large"},
			detail: map[string]string{"credentials": "sts:GetCallerIdentity failed: InvalidClientTokenId: The security token included in the request is invalid."},
			fix:    map[string]string{"credentials": "the credentials are not valid (expired or revoked): renew them (aws sso login, a new access key) and try again"},
		},
		"no credentials": {
			edit: func(_ *fakecloud.Inventory, cfg *aws.Config, _ *blueprints.Blueprint) {
				cfg.Credentials = nil
			},
			want: []string{"fail aws credentials", "skip aws region eu-west-1",
				"skip aws instance type m6a.2xlarge", "skip aws instance type m6i.2xlarge", "skip aws instance type m7a.2xlarge", "skip aws instance type m7i.2xlarge", "skip aws instance type m7i.xlarge",
				"skip aws database class db.m7g.large"},
			detail: map[string]string{"credentials": "no AWS credentials found"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			inv := awsInventory()
			b := bp.Retarget(blueprints.AWS)
			srv := fakecloud.New(inv)
			defer srv.Close()
			cfg := awsConfig(srv.URL)
			tc.edit(inv, cfg, b)
			n, _, err := Requirements(b, blueprints.AWS)
			if err != nil {
				t.Fatal(err)
			}
			got := checkAWS(context.Background(), AWSOptions{Config: cfg}, n)
			wantChecks(t, got, tc.want, tc.detail, tc.fix)
			if strings.Contains(name, "throttling") {
				calls := strings.Join(srv.Calls(), " ")
				if strings.Count(calls, "ec2:DescribeInstanceTypeOfferings") < 6 {
					t.Errorf("expected paging (one type a page) and a retry, got calls %s", calls)
				}
			}
		})
	}
}
