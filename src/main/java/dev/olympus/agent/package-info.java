/**
 * Agents: registration, API keys, heartbeats and liveness, the bootstrap operator, and the kill switch.
 *
 * <h2>The kill switch, all its parts</h2>
 * <ul>
 *   <li>{@link dev.olympus.agent.KillSwitch}: kill and revive, in one transaction each (the rules: no self-kill, never
 *       the last live operator); {@link dev.olympus.agent.AgentResource} maps {@code POST /api/v1/agents/{name}/kill}
 *       and {@code /revive} to it.</li>
 *   <li>{@link dev.olympus.auth.KillFence}: orders an agent's writes and its kill (a shared advisory lock per agent,
 *       held by every claim and task write; the kill takes it exclusively), so no write of a killed agent commits
 *       after the kill.</li>
 *   <li>{@link dev.olympus.task.TaskReleases}: what the kill does to the agent's in-progress tasks.</li>
 *   <li>{@link dev.olympus.auth.CredentialCache}: the {@code olympus_auth} notification that tells every instance,
 *       and the credential checks that refuse a killed agent ({@code agent-killed}) from then on.</li>
 *   <li>{@link dev.olympus.auth.AgentKilled}: the CDI event fired once per kill on every instance; its observers
 *       close what the agent still holds open ({@link dev.olympus.event.EventStream}'s WebSocket sessions).</li>
 * </ul>
 * KillFence and AgentKilled live in {@code dev.olympus.auth} beside the credential checks that use them, so that
 * {@code auth} does not depend on {@code agent}.
 */
package dev.olympus.agent;
