package io.tokenrotation.sim.dynatrace;

/** A token as its creator receives it: the only place the secret is ever handed out. */
public record IssuedToken(String id, String token) {
  /** Never prints the secret, so a logged or asserted-on IssuedToken cannot leak it. */
  @Override
  public String toString() {
    return "IssuedToken[id=" + id + ", token=***]";
  }
}
