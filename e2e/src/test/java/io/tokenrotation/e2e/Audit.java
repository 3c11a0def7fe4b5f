package io.tokenrotation.e2e;

import io.tokenrotation.sim.realkube.AuditEvent;
import io.tokenrotation.sim.realkube.RealKubernetes;
import java.util.List;
import java.util.function.Predicate;

/** What the API server's audit log says about the operator's requests. */
final class Audit {
  private Audit() {}

  static List<AuditEvent> events(RealKubernetes kube, Predicate<AuditEvent> filter) {
    return kube.auditEvents().stream().filter(filter).toList();
  }

  /**
   * Every 403 the server answered any operator ServiceAccount ({@code token-rotation-operator} in
   * any namespace) so far, written to the summary as {@code rbacForbidden}; the list for the
   * assertion.
   */
  static List<AuditEvent> recordForbidden(RealKubernetes kube) {
    List<AuditEvent> forbidden =
        events(
            kube,
            e ->
                e.code() == 403
                    && e.user()
                        .matches(
                            "system:serviceaccount:[^:]+:" + Cluster.OPERATOR_SERVICE_ACCOUNT));
    Summary.put("rbacForbidden", forbidden.size());
    return forbidden;
  }

  /** What RBAC refused {@code user}: every 403 the server answered it. */
  static List<AuditEvent> forbidden(RealKubernetes kube, String user) {
    return events(kube, e -> e.user().equals(user) && e.code() == 403);
  }
}
