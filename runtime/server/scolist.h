/* What the player needs from a package's imsmanifest.xml: the default organization's items in
 * order (titles, depth, launch URLs with parameters and xml:base applied), the values the LMS
 * seeds into the data model (1.2 masteryscore/datafromlms/..., 2004 completionThreshold and the
 * primary objective's scaled passing score), and the 2004 choice/flow controls. Sequencing beyond
 * choice and flow is not run: `unsupported_sequencing` says the manifest asks for more. */
#ifndef POSTCARD_SCOLIST_H
#define POSTCARD_SCOLIST_H

#include <stddef.h>

#include "common.h"

/* One adlcp:map: a shared data bucket the SCO may read and/or write. */
typedef struct sco_shared_map {
	char *target_id;
	int read, write; /* readSharedData / writeSharedData, default true (CAM 4th Edition) */
} sco_shared_map;

typedef struct sco_item {
	char *id;    /* item identifier */
	char *title; /* item title (the identifier when the title is missing) */
	char *href;  /* launch URL relative to the package root, or NULL for a non-launchable item */
	int depth;   /* 0 for children of the organization */
	int is_sco;  /* 1 for a SCO, 0 for an asset (no API) */
	int choice;  /* 2004: the parent's controlMode choice (1.2: 1) */
	int flow;    /* 2004: the parent's controlMode flow (1.2: 1, manifest order) */
	/* LMS-seeded values, NULL when the manifest has none. */
	char *launch_data;          /* 1.2 adlcp:datafromlms, 2004 adlcp:dataFromLMS */
	char *mastery_score;        /* 1.2 adlcp:masteryscore */
	char *max_time_allowed;     /* 1.2 adlcp:maxtimeallowed, 2004 imsss:limitConditions
				       @attemptAbsoluteDurationLimit */
	char *time_limit_action;    /* 1.2 / 2004 adlcp:timelimitaction */
	char *completion_threshold; /* 2004 adlcp:completionThreshold (minProgressMeasure) */
	char *scaled_passing_score; /* 2004 primary objective satisfiedByMeasure minNormalizedMeasure */
	char **objectives; /* 2004 objective ids the manifest declares (primary first), seeded as
			      cmi.objectives.n.id */
	size_t nobjectives;
	sco_shared_map *maps; /* 4th Edition adlcp:data/adlcp:map, in manifest order (adl.data.n) */
	size_t nmaps;
} sco_item;

typedef struct sco_list {
	char *manifest_id; /* the manifest's identifier: names the package across versions */
	char *version_attr; /* the manifest's version attribute, or NULL */
	char *title;        /* the default organization's title, or the identifier */
	scorm_version version;
	int second_edition; /* 2004 2nd Edition ("CAM 1.3"), run as 3rd: mf_edition_name() */
	sco_item *items; /* every item of the default organization, depth first */
	size_t count;
	size_t launchable; /* items with an href */
	int unsupported_sequencing; /* 2004 rules we do not run (rules, rollup, limits, ...) */
	int shared_data_global;     /* 4th Edition organization@adlcp:sharedDataGlobalToSystem
				       (default true): shared data outlives the attempt */
} sco_list;

/* Parses a manifest held in memory (never touches the network, never expands entities).
 * Returns 0, PC_EFORMAT when it is not a usable manifest (no organization, not XML), or
 * PC_ENOMEM. *out is the caller's (sco_list_free). */
int sco_list_parse(sco_list **out, const char *xml, size_t len);
void sco_list_free(sco_list *l);
/* "SCORM 1.2", "SCORM 2004 2nd Edition", ... (static): the name `validate` gives it too. */
const char *sco_list_edition(const sco_list *l);
/* The item with this identifier, or NULL. Borrowed. */
const sco_item *sco_list_find(const sco_list *l, const char *id);
/* The index of the first launchable item, or -1. */
long sco_list_first(const sco_list *l);
/* The previous/next launchable item from index i, or -1. */
long sco_list_step(const sco_list *l, size_t i, int dir);

#endif
