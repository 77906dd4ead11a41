# Reads `jfr print --events jdk.ExecutionSample` and prints "| library | percent |" rows: each sample is attributed
# to the library of its top frame, where JDK frames (java., jdk., sun.) count for the first non-JDK frame below.
function library(frame) {
  if (frame ~ /^dev\.olympus\./) return "Olympus (dev.olympus)"
  if (frame ~ /^io\.netty\./) return "Netty (HTTP and socket I/O)"
  if (frame ~ /^io\.vertx\.(pgclient|sqlclient)\./) return "Vert.x PostgreSQL client"
  if (frame ~ /^io\.vertx\./) return "Vert.x core and web"
  if (frame ~ /^com\.fasterxml\.jackson\./) return "Jackson (JSON)"
  if (frame ~ /^io\.quarkus\.arc\./) return "ArC (CDI)"
  if (frame ~ /^io\.smallrye\.context\./) return "SmallRye context propagation"
  if (frame ~ /^io\.smallrye\.mutiny\./) return "Mutiny"
  if (frame ~ /^(org\.jboss\.resteasy|io\.quarkus\.resteasy|io\.quarkus\.vertx\.http)\./) return "Quarkus REST and HTTP"
  if (frame ~ /^io\.micrometer\./) return "Micrometer"
  if (frame ~ /^(org\.hibernate\.validator|jakarta\.validation)\./) return "Hibernate Validator"
  if (frame ~ /^(com\.arjuna|io\.quarkus\.narayana)\./) return "Narayana (JTA)"
  if (frame ~ /^(io\.smallrye\.jwt|io\.quarkus\.smallrye\.jwt|io\.quarkus\.security|org\.jose4j)\./) return "security and JWT"
  if (frame ~ /^(java|jdk|sun)\./) return ""
  return "other"
}
/^jdk\.ExecutionSample/ { in_stack = 0; chosen = ""; next }
/stackTrace = \[/ { in_stack = 1; next }
in_stack && /^[[:space:]]*\]/ { in_stack = 0; counts[chosen == "" ? "JDK only" : chosen]++; total++; next }
in_stack && chosen == "" {
  frame = $1
  if (frame == "...") next
  chosen = library(frame)
}
END {
  for (l in counts) printf "| %s | %.1f%% |\n", l, 100 * counts[l] / total | "sort -t'|' -k3 -rn"
}
