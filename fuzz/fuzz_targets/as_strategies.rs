//! Structure-aware fuzzing through the crate's exported proptest strategies: the fuzzer's bytes
//! seed the strategy RNG. Generated actors and Moves must be accepted and round-trip; a hostile
//! context spliced into an actor must be refused with the kind the strategy names.
#![no_main]

use activitystreams_move::{Activity, Actor, ReadOptions, strategies};
use libfuzzer_sys::fuzz_target;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fuzz_target!(|data: &[u8]| {
    let mut seed = [0u8; 32];
    for (i, b) in data.iter().take(32).enumerate() {
        seed[i] = *b;
    }
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let opts = ReadOptions::default();

    let Ok(tree) = strategies::actor().new_tree(&mut runner) else {
        return;
    };
    let actor_doc = tree.current();
    let actor = Actor::from_value(&actor_doc, &opts).expect("generated actor is accepted");
    let again = Actor::from_value(&actor.to_value(), &opts).expect("emitted actor is accepted");
    assert_eq!(
        actor.also_known_as.as_slice(),
        again.also_known_as.as_slice()
    );
    assert_eq!(actor.moved_to(), again.moved_to());

    let Ok(tree) = strategies::move_activity().new_tree(&mut runner) else {
        return;
    };
    let mv = Activity::from_value(&tree.current(), &opts).expect("generated Move is accepted");
    assert!(mv.as_move().is_some());

    let Ok(tree) = strategies::hostile_context().new_tree(&mut runner) else {
        return;
    };
    let (context, kind) = tree.current();
    let mut hostile = actor_doc;
    hostile["@context"] = context;
    match Actor::from_value(&hostile, &opts) {
        Err(e) => assert_eq!(e.kind(), kind, "{e}"),
        Ok(_) => panic!("hostile context accepted; expected {kind}"),
    }
});
