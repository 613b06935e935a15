// Command pulumi-resource-scaleway is sovstack's build of the Scaleway provider
// plugin. schema.json and bridge-metadata.json are not committed: the toolchain
// build writes them here with pulumi-tfgen-scaleway before compiling this.
package main

import (
	"context"
	_ "embed"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"

	"sovstack.local/toolchain/scaleway/internal/info"
)

//go:embed schema.json
var schema []byte

//go:embed bridge-metadata.json
var metadata []byte

func main() {
	tfbridge.MainWithMuxer(context.Background(), "scaleway", info.Provider(metadata), schema)
}
