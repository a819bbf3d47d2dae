#include "common/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace fulcrum {
namespace {

namespace fs = std::filesystem;

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "key_file_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static mode_t ModeOf(const fs::path& file) {
    struct stat info {};
    EXPECT_EQ(::stat(file.c_str(), &info), 0);
    return info.st_mode & 07777;
  }

  static void WriteFile(const fs::path& file, const std::string& content, mode_t mode) {
    std::ofstream(file, std::ios::binary) << content;
    ASSERT_EQ(::chmod(file.c_str(), mode), 0);
  }

  fs::path dir_;
};

TEST_F(KeyFileTest, CreatesAnOwnerOnlyFileOfTheRequestedSize) {
  const fs::path file = dir_ / "master.key";
  const mode_t old_umask = ::umask(0);  // The mode must not depend on the caller's umask.
  auto key = LoadOrCreateKeyFile(file, 32);
  ::umask(old_umask);
  ASSERT_TRUE(key.has_value()) << key.error().message;
  EXPECT_EQ(key->size(), 32u);
  EXPECT_EQ(fs::file_size(file), 32u);
  EXPECT_EQ(ModeOf(file), 0600u);
  EXPECT_NE(*key, std::string(32, '\0'));
}

TEST_F(KeyFileTest, LeavesNoTemporaryFilesBehind) {
  ASSERT_TRUE(LoadOrCreateKeyFile(dir_ / "master.key", 32).has_value());
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"master.key"});
}

TEST_F(KeyFileTest, LoadsTheSameKeyAgain) {
  const fs::path file = dir_ / "master.key";
  auto created = LoadOrCreateKeyFile(file, 32);
  auto loaded = LoadOrCreateKeyFile(file, 32);
  ASSERT_TRUE(created.has_value());
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ(*created, *loaded);
}

TEST_F(KeyFileTest, DifferentFilesGetDifferentKeys) {
  auto first = LoadOrCreateKeyFile(dir_ / "a.key", 32);
  auto second = LoadOrCreateKeyFile(dir_ / "b.key", 32);
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(*first, *second);
}

TEST_F(KeyFileTest, LoadsAnExistingFileVerbatim) {
  const fs::path file = dir_ / "given.key";
  const std::string content = std::string("0123456789abcdef\0\1\2\3", 20);
  WriteFile(file, content, 0600);
  auto key = LoadOrCreateKeyFile(file, content.size());
  ASSERT_TRUE(key.has_value()) << key.error().message;
  EXPECT_EQ(*key, content);
}

TEST_F(KeyFileTest, RefusesFilesOthersCanAccess) {
  for (mode_t mode : {0640, 0604, 0660, 0644, 0606, 0620}) {
    const fs::path file = dir_ / "open.key";
    WriteFile(file, std::string(32, 'k'), mode);
    auto key = LoadOrCreateKeyFile(file, 32);
    ASSERT_FALSE(key.has_value()) << std::oct << mode;
    EXPECT_EQ(key.error().code, "InvalidKeyFile");
    EXPECT_NE(key.error().message.find("chmod 600 " + file.string()), std::string::npos)
        << key.error().message;
    fs::remove(file);
  }
}

TEST_F(KeyFileTest, RefusesAFileOfTheWrongSize) {
  for (size_t size : {size_t{0}, size_t{31}, size_t{33}}) {
    const fs::path file = dir_ / "short.key";
    WriteFile(file, std::string(size, 'k'), 0600);
    auto key = LoadOrCreateKeyFile(file, 32);
    ASSERT_FALSE(key.has_value()) << size;
    EXPECT_EQ(key.error().code, "InvalidKeyFile");
    EXPECT_NE(key.error().message.find(file.string()), std::string::npos);
    fs::remove(file);
  }
}

TEST_F(KeyFileTest, RefusesADirectory) {
  fs::create_directory(dir_ / "dir.key");
  ::chmod((dir_ / "dir.key").c_str(), 0700);
  auto key = LoadOrCreateKeyFile(dir_ / "dir.key", 32);
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().code, "InvalidKeyFile");
}

TEST_F(KeyFileTest, MissingDirectoryIsAnError) {
  const fs::path file = dir_ / "no-such-dir" / "master.key";
  auto key = LoadOrCreateKeyFile(file, 32);
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().code, "InternalFailure");
  EXPECT_NE(key.error().message.find(file.string()), std::string::npos) << key.error().message;
}

TEST_F(KeyFileTest, RejectsAnInvalidSize) {
  auto key = LoadOrCreateKeyFile(dir_ / "zero.key", 0);
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().code, "InvalidParameterValue");
  EXPECT_FALSE(fs::exists(dir_ / "zero.key"));
}

TEST_F(KeyFileTest, RacingCreatorsAllGetTheWinnersKey) {
  const fs::path file = dir_ / "raced.key";
  constexpr int kThreads = 8;
  std::vector<std::string> keys(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&keys, &file, i] {
      auto key = LoadOrCreateKeyFile(file, 32);
      keys[i] = key.has_value() ? *key : "error: " + key.error().message;
    });
  }
  for (auto& thread : threads) thread.join();
  auto on_disk = LoadOrCreateKeyFile(file, 32);
  ASSERT_TRUE(on_disk.has_value());
  for (int i = 0; i < kThreads; ++i) EXPECT_EQ(keys[i], *on_disk) << "thread " << i;
}

}  // namespace
}  // namespace fulcrum
