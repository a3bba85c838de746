/**
 * Pulse's live dashboard: the pages, styles and scripts under {@code io/pulse/dashboard/static/} on the
 * classpath and {@link io.pulse.dashboard.DashboardAssets}, the JDK {@code HttpServer} handler that serves
 * them together with Chart.js (from its WebJar), so the browser needs no network beyond the Pulse server.
 * The pages poll the pipeline's JSON API ({@code /api/overview}, {@code /api/alerts},
 * {@code /api/users/{id}/timeline}, {@code /users/{id}}) every two seconds; this package serves no data.
 */
package io.pulse.dashboard;
