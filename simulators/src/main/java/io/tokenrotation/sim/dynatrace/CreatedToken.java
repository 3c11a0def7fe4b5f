package io.tokenrotation.sim.dynatrace;

/** A token as its creator receives it: the only place the secret is ever handed out. */
public record CreatedToken(String id, String token) {
  /** Never prints the secret, so a logged or asserted-on CreatedToken cannot leak it. */
  @Override
  public String toString() {
    return "CreatedToken[id=" + id + ", token=***]";
  }
}
