//! Importing a follower list kept by the person (pull mode). (under construction)
