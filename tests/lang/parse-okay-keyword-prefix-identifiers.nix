iff: thenx: elsey: letz: inn: recs: within: asserted: inherits: ori: [ iff thenx elsey letz inn recs within asserted inherits ori ]
