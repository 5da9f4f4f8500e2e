package org.mcq.admin.boundary;

/** Why a request of the admin API was not done (JSON). */
public record Problem(String error) {
}
