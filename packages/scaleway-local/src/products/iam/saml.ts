import { randomUUID, X509Certificate } from "node:crypto";
import { invalidArgument, notFound, ScalewayError } from "../../http/errors";
import type { ProductRoutes } from "../../http/router";
import { optionalString, requiredString, uuid } from "../../http/input";
import type { IamState, SamlCertificateRecord, SamlRecord } from "./state";

const CERTIFICATE_TYPES = ["signing", "encryption"];

/**
 * SAML single sign-on of the organisation: one configuration at most, whose status tells
 * what it still lacks (a certificate, the identity provider's entity ID, its SSO URL).
 */
export class Saml {
  constructor(private readonly state: IamState) {}

  ofOrganization(organizationId: string): SamlRecord {
    const saml = this.state.saml.list((s) => s.organization_id === organizationId)[0];
    if (!saml) throw notFound("organization_saml", organizationId);
    return saml;
  }

  enable(organizationId: string): SamlRecord {
    const existing = this.state.saml.list((s) => s.organization_id === organizationId)[0];
    if (existing)
      throw new ScalewayError(409, {
        message: "resource already exists",
        resource: "organization_saml",
        resource_id: organizationId,
        type: "conflict",
      });
    return this.state.saml.insert({
      id: randomUUID(),
      organization_id: uuid(organizationId, "organization_id"),
      entity_id: "",
      single_sign_on_url: "",
    });
  }

  get(id: string): SamlRecord {
    return this.state.saml.require(uuid(id, "saml_id"), "saml");
  }

  update(id: string, body: Record<string, unknown>): SamlRecord {
    const saml = this.get(id);
    const entityId = optionalString(body, "entity_id");
    const ssoUrl = optionalString(body, "single_sign_on_url");
    if (ssoUrl && !/^https?:\/\//.test(ssoUrl)) throw invalidArgument("single_sign_on_url", "must be an http(s) URL");
    return this.state.saml.update(saml.id, {
      ...(entityId !== undefined ? { entity_id: entityId } : {}),
      ...(ssoUrl !== undefined ? { single_sign_on_url: ssoUrl } : {}),
    });
  }

  delete(id: string): void {
    const saml = this.get(id);
    for (const certificate of this.certificates(saml.id)) this.state.samlCertificates.delete(certificate.id);
    this.state.saml.delete(saml.id);
  }

  certificates(samlId: string): SamlCertificateRecord[] {
    const saml = this.get(samlId);
    return this.state.samlCertificates.list((certificate) => certificate.saml_id === saml.id);
  }

  addCertificate(samlId: string, body: Record<string, unknown>): SamlCertificateRecord {
    const saml = this.get(samlId);
    const type = requiredString(body, "type");
    if (!CERTIFICATE_TYPES.includes(type))
      throw invalidArgument("type", `must be one of ${CERTIFICATE_TYPES.join(", ")}`);
    const content = requiredString(body, "content");
    return this.state.samlCertificates.insert({
      id: randomUUID(),
      saml_id: saml.id,
      type,
      origin: "identity_provider",
      content,
      expires_at: certificateExpiry(content),
    });
  }

  certificate(id: string): SamlCertificateRecord {
    return this.state.samlCertificates.require(uuid(id, "certificate_id"), "saml_certificate");
  }

  deleteCertificate(id: string): void {
    this.state.samlCertificates.delete(this.certificate(id).id);
  }

  view(saml: SamlRecord): Record<string, unknown> {
    const hasCertificate = this.state.samlCertificates.list((c) => c.saml_id === saml.id).length > 0;
    const status = !hasCertificate
      ? "missing_certificate"
      : !saml.entity_id
        ? "missing_entity_id"
        : !saml.single_sign_on_url
          ? "missing_single_sign_on_url"
          : "valid";
    return {
      id: saml.id,
      status,
      service_provider: {
        entity_id: `https://iam.scaleway.com/saml/${saml.id}`,
        assertion_consumer_service_url: `https://api.scaleway.com/iam/v1/saml/${saml.id}/login`,
      },
      entity_id: saml.entity_id,
      single_sign_on_url: saml.single_sign_on_url,
    };
  }

  certificateView(certificate: SamlCertificateRecord): Record<string, unknown> {
    return {
      id: certificate.id,
      type: certificate.type,
      origin: certificate.origin,
      content: certificate.content,
      expires_at: certificate.expires_at,
    };
  }
}

/** When a PEM certificate stops being valid; refuses content that is not a certificate. */
function certificateExpiry(content: string): string {
  try {
    return new Date(new X509Certificate(content).validTo).toISOString().replace(/\.\d{3}Z$/, "Z");
  } catch {
    throw invalidArgument("content", "must be a PEM-encoded X.509 certificate");
  }
}

export function samlRoutes(routes: ProductRoutes, saml: Saml) {
  routes.get("/iam/v1alpha1/organizations/:organizationId/saml", "GetOrganizationSaml", ({ params }) => ({
    body: saml.view(saml.ofOrganization(params.organizationId!)),
  }));
  routes.post("/iam/v1alpha1/organizations/:organizationId/saml", "EnableOrganizationSaml", ({ params }) => ({
    body: saml.view(saml.enable(params.organizationId!)),
  }));
  routes.patch("/iam/v1alpha1/saml/:samlId", "UpdateSaml", ({ params, body }) => ({
    body: saml.view(saml.update(params.samlId!, body)),
  }));
  routes.delete("/iam/v1alpha1/saml/:samlId", "DeleteSaml", ({ params }) => {
    saml.delete(params.samlId!);
    return { status: 204 };
  });
  routes.get("/iam/v1alpha1/saml/:samlId/certificates", "ListSamlCertificates", ({ params }) => ({
    body: { certificates: saml.certificates(params.samlId!).map((c) => saml.certificateView(c)) },
  }));
  routes.post("/iam/v1alpha1/saml/:samlId/certificates", "AddSamlCertificate", ({ params, body }) => ({
    body: saml.certificateView(saml.addCertificate(params.samlId!, body)),
  }));
  routes.get("/iam/v1alpha1/saml-certificates/:certificateId", "GetSamlCertificate", ({ params }) => ({
    body: saml.certificateView(saml.certificate(params.certificateId!)),
  }));
  routes.delete("/iam/v1alpha1/saml-certificates/:certificateId", "DeleteSamlCertificate", ({ params }) => {
    saml.deleteCertificate(params.certificateId!);
    return { status: 204 };
  });
}
