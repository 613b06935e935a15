// Package info describes how sovstack's own build of the Scaleway provider maps
// the Terraform provider (github.com/scaleway/terraform-provider-scaleway) onto
// Pulumi type tokens.
//
// The upstream Pulumi bridge (github.com/pulumiverse/pulumi-scaleway/provider)
// is not served by the Go module proxy, so this package re-states the public
// token layout of the @pulumiverse/scaleway SDK: every token that SDK uses for a
// resource or function in a module must come out of this mapping unchanged
// (toolchain/check-tokens.mjs checks it against the installed npm package).
package info

import (
	"context"
	"unicode"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	bridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	ptokens "github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	scaleway "github.com/scaleway/terraform-provider-scaleway/v2/provider"
)

// Version is the plugin version reported to the engine; set with
// -ldflags "-X sovstack.local/toolchain/scaleway/internal/info.Version=1.54.0".
// It must equal the version of the @pulumiverse/scaleway npm package.
var Version string

const pkg = "scaleway"

// modules maps the prefix of a Terraform type name (after "scaleway_") to the
// Pulumi module the SDK puts it in. Types without a listed prefix go to "index".
var modules = map[string]string{
	"account":       "account",
	"annotations":   "annotations",
	"apple_silicon": "applesilicon",
	"audit_trail":   "audittrail",
	"autoscaling":   "autoscaling",
	"baremetal":     "elasticmetal",
	"billing":       "billing",
	"block":         "block",
	"cockpit":       "observability",
	"container":     "containers",
	"datawarehouse": "datawarehouse",
	"domain":        "domain",
	"edge_services": "edgeservices",
	"flexible":      "elasticmetal",
	"function":      "functions",
	"iam":           "iam",
	"inference":     "inference",
	"instance":      "instance",
	"interlink":     "interlink",
	"iot":           "iot",
	"ipam":          "ipam",
	"job":           "job",
	"k8s":           "kubernetes",
	"kafka":         "kafka",
	"key_manager":   "keymanager",
	"lb":            "loadbalancers",
	"mnq":           "mnq",
	"mongodb":       "mongodb",
	"object":        "object",
	"opensearch":    "opensearch",
	"rdb":           "databases",
	"redis":         "redis",
	"registry":      "registry",
	"s2s_vpn":       "s2svpn",
	"secret":        "secrets",
	"tem":           "tem",
	"vpc":           "network",
	"webhosting":    "hosting",
}

// resourceToken is "scaleway:<module>/<lowerCamelName>:<Name>".
func resourceToken(module, name string) string {
	file := string(unicode.ToLower(rune(name[0]))) + name[1:]
	return pkg + ":" + module + "/" + file + ":" + name
}

// Types whose Terraform name is a bare module prefix, or whose SDK name differs
// from the automatic one.
var resourceTokens = map[string]string{
	"scaleway_cockpit":          resourceToken("observability", "Cockpit"),
	"scaleway_container":        resourceToken("containers", "Container"),
	"scaleway_datalab":          resourceToken("datalab", "Datalab"),
	"scaleway_function":         resourceToken("functions", "Function"),
	"scaleway_lb":               resourceToken("loadbalancers", "LoadBalancer"),
	"scaleway_object":           resourceToken("object", "Item"),
	"scaleway_sdb_sql_database": resourceToken("databases", "ServerlessDatabase"),
	"scaleway_secret":           resourceToken("secrets", "Secret"),
	"scaleway_vpc":              resourceToken("network", "Vpc"),
	"scaleway_webhosting":       resourceToken("hosting", "Hosting"),
}

var functionTokens = map[string]string{
	"scaleway_availability_zones": resourceToken("account", "getAvailabilityZones"),
	"scaleway_cockpit":            resourceToken("observability", "getInstance"),
	"scaleway_container":          resourceToken("containers", "getContainer"),
	"scaleway_datalab":            resourceToken("datalab", "getDatalab"),
	"scaleway_datalabs":           resourceToken("datalab", "getDatalabs"),
	"scaleway_function":           resourceToken("functions", "getFunction"),
	"scaleway_lb":                 resourceToken("loadbalancers", "getLoadBalancer"),
	"scaleway_lbs":                resourceToken("loadbalancers", "getLoadBalancers"),
	"scaleway_secret":             resourceToken("secrets", "getSecret"),
	"scaleway_vpc":                resourceToken("network", "getVpc"),
	"scaleway_vpcs":               resourceToken("network", "getVpcs"),
	"scaleway_webhosting":         resourceToken("hosting", "getHosting"),
}

func licenseRef(l bridge.TFProviderLicense) *bridge.TFProviderLicense { return &l }

func envDefault(vars ...string) *bridge.SchemaInfo {
	return &bridge.SchemaInfo{Default: &bridge.DefaultInfo{EnvVars: vars}}
}

// Provider returns the bridge description of the provider. metadata is the
// bridge-metadata.json written by pulumi-tfgen-scaleway (nil when generating it).
func Provider(metadata []byte) bridge.ProviderInfo {
	ctx := context.Background()
	p := tfbridge.MuxShimWithPF(ctx,
		shimv2.NewProvider(scaleway.SDKProvider(nil)()),
		scaleway.NewFrameworkProvider(nil)(),
	)

	accessKey := envDefault("SCW_ACCESS_KEY")
	accessKey.Secret = bridge.True()
	secretKey := envDefault("SCW_SECRET_KEY")
	secretKey.Secret = bridge.True()

	prov := bridge.ProviderInfo{
		P:                       p,
		Name:                    pkg,
		Version:                 Version,
		Description:             "Scaleway provider built by sovstack from the Terraform provider (offline toolchain).",
		Publisher:               "pulumiverse",
		DisplayName:             "Scaleway",
		License:                 "Apache-2.0",
		GitHubOrg:               "scaleway",
		TFProviderModuleVersion: "v2",
		TFProviderLicense:       licenseRef(bridge.MITLicenseType),
		MetadataInfo:            bridge.NewProviderMetadata(metadata),
		Config: map[string]*bridge.SchemaInfo{
			"access_key":      accessKey,
			"secret_key":      secretKey,
			"organization_id": envDefault("SCW_ORGANIZATION_ID"),
			"project_id":      envDefault("SCW_DEFAULT_PROJECT_ID"),
			"region":          envDefault("SCW_DEFAULT_REGION"),
			"zone":            envDefault("SCW_DEFAULT_ZONE"),
		},
		Resources: map[string]*bridge.ResourceInfo{
			// The SDK exposes the token value as "value".
			"scaleway_container_token": {Fields: map[string]*bridge.SchemaInfo{"token": {Name: "value"}}},
			"scaleway_function_token":  {Fields: map[string]*bridge.SchemaInfo{"token": {Name: "value"}}},
		},
		DataSources: map[string]*bridge.DataSourceInfo{
			"scaleway_baremetal_offer": {
				Fields: map[string]*bridge.SchemaInfo{"cpu": {MaxItemsOne: bridge.True()}},
			},
		},
		JavaScript: &bridge.JavaScriptInfo{PackageName: "@pulumiverse/scaleway"},
	}
	for tf, tok := range resourceTokens {
		r := prov.Resources[tf]
		if r == nil {
			r = &bridge.ResourceInfo{}
			prov.Resources[tf] = r
		}
		r.Tok = ptokens.Type(tok)
	}
	for tf, tok := range functionTokens {
		d := prov.DataSources[tf]
		if d == nil {
			d = &bridge.DataSourceInfo{}
			prov.DataSources[tf] = d
		}
		d.Tok = ptokens.ModuleMember(tok)
	}

	prov.MustComputeTokens(tokens.MappedModules("scaleway_", "index", modules, tokens.MakeStandard(pkg)))
	prov.SetAutonaming(255, "-")
	prov.MustApplyAutoAliases()
	return prov
}
