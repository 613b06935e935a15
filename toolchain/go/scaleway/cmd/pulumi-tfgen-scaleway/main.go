// Command pulumi-tfgen-scaleway writes schema.json and bridge-metadata.json for
// sovstack's Scaleway provider build:
//
//	pulumi-tfgen-scaleway schema --skip-docs --skip-examples --out <dir>
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"

	"sovstack.local/toolchain/scaleway/internal/info"
)

func main() {
	tfgen.MainWithMuxer("scaleway", info.Provider(nil))
}
