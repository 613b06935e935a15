import * as pulumi from "@pulumi/pulumi";
import { evalPlatform } from "./program";

const outputs = evalPlatform(pulumi.runtime.allConfig(), pulumi.getStack());

export const endpoints = outputs.endpoints;
export const publicEndpoints = outputs.publicEndpoints;
export const databaseHost = outputs.databaseHost;
export const databasePort = outputs.databasePort;
export const databaseName = outputs.databaseName;
export const databaseUser = outputs.databaseUser;
export const databasePassword = outputs.databasePassword;
export const bucketNames = outputs.bucketNames;
export const privateNetworkId = outputs.privateNetworkId;
